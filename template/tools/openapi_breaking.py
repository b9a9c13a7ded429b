"""Lists the breaking changes from one OpenAPI schema to another; exits 1 if there are any.

    python -m tools.openapi_breaking base-openapi.json docs/openapi.json

CI runs it on pull requests against the base branch's docs/openapi.json, unless the pull
request is labelled `breaking-change`. It catches what a machine can tell for sure:
- an operation removed;
- a field removed from a success response's body (at any depth);
- a request field, parameter or body that is new and required, or became required.
Other breaking changes (docs/api-guidelines.md lists them) still need a reviewer's eye.
Standard library only, so CI runs it without installing the project.
"""

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

Schema = dict[str, Any]
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "patch", "options", "head", "trace"})


def breaking_changes(base: Schema, head: Schema) -> list[str]:
    head_operations = dict(_operations(head))
    changes: list[str] = []
    for name, before in _operations(base):
        after = head_operations.get(name)
        if after is None:
            changes.append(f"{name}: the operation was removed")
            continue
        changes.extend(
            f"{name}: {change}" for change in _response_changes(base, before, head, after)
        )
        changes.extend(
            f"{name}: {change}" for change in _request_changes(base, before, head, after)
        )
    return changes


def _operations(spec: Schema) -> Iterator[tuple[str, Schema]]:
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield f"{method.upper()} {path}", operation


def _response_changes(base: Schema, before: Schema, head: Schema, after: Schema) -> Iterator[str]:
    for status, response in before.get("responses", {}).items():
        if not str(status).startswith("2"):
            continue
        if status not in after.get("responses", {}):
            yield f"the {status} response was removed"
            continue
        for media_type, content in response.get("content", {}).items():
            new_content = after["responses"][status].get("content", {}).get(media_type)
            if new_content is None:
                yield f"the {status} response no longer returns {media_type}"
                continue
            old_fields = _fields(base, content.get("schema", {}))
            new_fields = _fields(head, new_content.get("schema", {}))
            for field in sorted(old_fields - new_fields):
                yield f"the {status} response lost the field `{field}`"


def _request_changes(base: Schema, before: Schema, head: Schema, after: Schema) -> Iterator[str]:
    old_parameters = {_parameter_key(base, p) for p in before.get("parameters", [])}
    for parameter in after.get("parameters", []):
        parameter = _resolve(head, parameter)
        key = _parameter_key(head, parameter)
        old = next(
            (p for p in before.get("parameters", []) if _parameter_key(base, p) == key), None
        )
        was_required = old is not None and _resolve(base, old).get("required", False)
        if parameter.get("required", False) and not was_required:
            where = "new and" if key not in old_parameters else "now"
            yield f"the {key[1]} parameter `{key[0]}` is {where} required"
    old_body, new_body = before.get("requestBody"), after.get("requestBody")
    if new_body is None:
        return
    new_body = _resolve(head, new_body)
    old_body = _resolve(base, old_body) if old_body is not None else {}
    if new_body.get("required", False) and not old_body.get("required", False):
        yield "the request body is now required"
    for media_type, content in new_body.get("content", {}).items():
        old_content = old_body.get("content", {}).get(media_type, {})
        old_required = _required_fields(base, old_content.get("schema", {}))
        for field in sorted(_required_fields(head, content.get("schema", {})) - old_required):
            yield f"the request field `{field}` is new and required, or became required"


def _parameter_key(spec: Schema, parameter: Schema) -> tuple[str, str]:
    parameter = _resolve(spec, parameter)
    return parameter["name"], parameter["in"]


def _resolve(spec: Schema, node: Schema) -> Schema:
    """Follows local `$ref`s (`#/components/...`)."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node and node["$ref"] not in seen:
        seen.add(node["$ref"])
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node = target
    return node


def _fields(
    spec: Schema, node: Schema, prefix: str = "", refs: frozenset[str] = frozenset()
) -> set[str]:
    """Every field a body with this schema may hold, as dotted paths (`items[].id`)."""
    found: set[str] = set()
    for path, child, _required, child_refs in _children(spec, node, prefix, refs):
        found.add(path)
        found |= _fields(spec, child, path, child_refs)
    return found


def _required_fields(
    spec: Schema, node: Schema, prefix: str = "", refs: frozenset[str] = frozenset()
) -> set[str]:
    """The fields a request with this schema must send, as dotted paths; a required field
    inside an optional object counts too: whoever sends that object must now add it."""
    found: set[str] = set()
    for path, child, required, child_refs in _children(spec, node, prefix, refs):
        if required:
            found.add(path)
        found |= _required_fields(spec, child, path, child_refs)
    return found


def _children(
    spec: Schema, node: Schema, prefix: str, refs: frozenset[str]
) -> Iterator[tuple[str, Schema, bool, frozenset[str]]]:
    """(path, schema, required, refs seen) of each property below `node`, through `$ref`,
    `allOf`/`anyOf`/`oneOf` and array items; a recursive schema is followed once."""
    ref = node.get("$ref")
    if ref is not None:
        if ref in refs:
            return
        refs = refs | {ref}
        node = _resolve(spec, node)
    for combinator in ("allOf", "anyOf", "oneOf"):
        for member in node.get(combinator, []):
            yield from _children(spec, member, prefix, refs)
    if "items" in node:
        yield from _children(spec, node["items"], f"{prefix}[]", refs)
    required = set(node.get("required", []))
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        yield path, child, name in required, refs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="the base branch's schema")
    parser.add_argument("head", type=Path, help="this change's schema")
    arguments = parser.parse_args(argv)
    base = json.loads(arguments.base.read_text(encoding="utf-8"))
    head = json.loads(arguments.head.read_text(encoding="utf-8"))
    changes = breaking_changes(base, head)
    for change in changes:
        print(f"breaking: {change}")
    if changes:
        print(
            f"{len(changes)} breaking API change(s). If they are intended, follow "
            "docs/api-guidelines.md and label the pull request `breaking-change`.",
            file=sys.stderr,
        )
        return 1
    print("no breaking API changes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
