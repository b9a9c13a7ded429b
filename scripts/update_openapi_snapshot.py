"""Rewrites template/docs/openapi.json.jinja: the OpenAPI snapshot each answer set renders.

    uv run python -m scripts.update_openapi_snapshot   # from the repository root

Run it after a template change that changes the API. It renders the defaults and one change
per question , asks each rendered project for its schema
(`tools/openapi_snapshot.py`, the command behind the project's `make openapi`), keeps the
questions that change it, renders every combination of those, and merges the schemas into one
Jinja file that renders, byte for byte, what `make openapi` writes for that answer set. The
rendered test suite of every combination checks the result (tests/unit/tools/).
"""

import itertools
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from tests.combinations import Answers, defaults, varying_questions
from tests.harness.envs import build_environment, superset_requirements
from tests.harness.render import TEMPLATE_ROOT, render

TARGET = TEMPLATE_ROOT / "template" / "docs" / "openapi.json.jinja"
# Rendered as the project name, then replaced by the Jinja expression that writes the real one
# as a JSON string (only `\` and `"` need escaping in a project name).
NAME_SENTINEL = "Openapi Snapshot Sentinel Name"
NAME_EXPRESSION = "{{ project_name | replace('\\\\', '\\\\\\\\') | replace('\"', '\\\\\"') }}"
SCHEMA_OF_PROJECT = (
    "from tools.openapi_snapshot import current_schema_text; print(current_schema_text(), end='')"
)

Variant = tuple[tuple[str, Any], ...]  # the answers that change the schema, as sorted pairs


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="openapi-snapshot-") as folder:
        workdir = Path(folder)
        python = build_environment(sys.executable, superset_requirements(workdir), workdir / "env")
        schemas: dict[str, dict[str, Any]] = {}

        def schema_of(answers: Answers) -> dict[str, Any]:
            key = json.dumps(answers, sort_keys=True)
            if key not in schemas:
                named = {**answers, "project_name": NAME_SENTINEL}
                project = render(workdir / f"project-{len(schemas)}", named)
                text = subprocess.run(
                    [str(python / "bin" / "python"), "-c", SCHEMA_OF_PROJECT],
                    cwd=project,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                schemas[key] = json.loads(text)
            return schemas[key]

        base = defaults()
        questions = varying_questions()
        relevant = [
            name
            for name, values in questions.items()
            if any(schema_of({**base, name: value}) != schema_of(base) for value in values[1:])
        ]
        variants: dict[Variant, dict[str, Any]] = {}
        for chosen in itertools.product(*(questions[name] for name in relevant)):
            pairs = tuple(zip(relevant, chosen, strict=True))
            variants[pairs] = schema_of({**base, **dict(pairs)})
    text = merge(list(variants.items()), 0, list(variants)) + "\n"
    TARGET.write_text(text.replace(NAME_SENTINEL, NAME_EXPRESSION), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(TEMPLATE_ROOT)}: varies by {relevant or 'nothing'}")


def dumps(value: Any, level: int) -> str:
    """`value` as `json.dumps(indent=2)` writes it `level` levels deep."""
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
    return text.replace("\n", "\n" + "  " * level)


def merge(values: list[tuple[Variant, Any]], level: int, every: list[Variant]) -> str:
    """One node of the schema: literal where every variant agrees, an `{% if %}` per object
    key some variants lack, and whole alternatives where they disagree otherwise."""
    first = values[0][1]
    if all(value == first for _, value in values):
        return dumps(first, level)
    objects = [value for _, value in values if isinstance(value, dict) and value]
    keys = sorted(set().union(*objects)) if len(objects) == len(values) else []
    # The first key present everywhere: each later entry can then carry its own comma.
    if keys and all(keys[0] in value for _, value in values):
        pad = "  " * (level + 1)
        parts = ["{\n"]
        for index, key in enumerate(keys):
            having = [(variant, value[key]) for variant, value in values if key in value]
            entry = (",\n" if index else "") + pad + json.dumps(key, ensure_ascii=False) + ": "
            entry += merge(having, level + 1, every)
            if len(having) < len(values):
                entry = f"{{% if {condition([v for v, _ in having], every)} %}}{entry}{{% endif %}}"
            parts.append(entry)
        parts.append("\n" + "  " * level + "}")
        return "".join(parts)
    groups: list[tuple[Any, list[Variant]]] = []
    for variant, value in values:
        for known, members in groups:
            if known == value:
                members.append(variant)
                break
        else:
            groups.append((value, [variant]))
    text = ""
    for index, (value, members) in enumerate(groups):
        if index == 0:
            text += f"{{% if {condition(members, every)} %}}"
        elif index < len(groups) - 1:
            text += f"{{% elif {condition(members, every)} %}}"
        else:
            text += "{% else %}"
        text += dumps(value, level)
    return text + "{% endif %}"


def condition(members: list[Variant], every: list[Variant]) -> str:
    """A Jinja test true for exactly `members` among `every` variant."""
    wanted = set(members)
    for variant in every:
        for name, value in variant:
            if {v for v in every if (name, value) in v} == wanted:
                return atom(name, value)
    return " or ".join(
        "(" + " and ".join(atom(name, value) for name, value in variant) + ")"
        for variant in members
    )


def atom(name: str, value: Any) -> str:
    if value is True:
        return name
    if value is False:
        return f"not {name}"
    return f"{name} == {json.dumps(value)}"


if __name__ == "__main__":
    main()
