"""Writes the API's OpenAPI schema to docs/openapi.json, or with `--check` fails if it is stale.

The committed file puts every API change in front of reviewers as a diff. A test fails when it
no longer matches the code (`make openapi` rewrites it), and CI compares it with the base
branch's to catch breaking changes (`tools/openapi_breaking.py`).
"""

import argparse
import difflib
import json
import os
import sys
from pathlib import Path
from unittest import mock

from app.core.config import TestingSettings
from app.main import create_app

SNAPSHOT = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def current_schema_text() -> str:
    """The schema as the code defines it, in the snapshot's stable layout."""
    # Built from defaults alone: a PROJECT_NAME or .env on this machine must not change it.
    with mock.patch.dict(os.environ, clear=True):
        settings = TestingSettings(_env_file=None)
    schema = create_app(settings).openapi()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def snapshot_diff(committed: str, current: str) -> str:
    lines = difflib.unified_diff(
        committed.splitlines(keepends=True),
        current.splitlines(keepends=True),
        fromfile="docs/openapi.json (committed)",
        tofile="docs/openapi.json (from the code)",
    )
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="print the difference and fail if it is stale"
    )
    arguments = parser.parse_args(argv)
    current = current_schema_text()
    if not arguments.check:
        SNAPSHOT.write_text(current, encoding="utf-8")
        return 0
    committed = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
    difference = snapshot_diff(committed, current)
    if difference:
        print(difference, end="")
        print("docs/openapi.json is stale: run `make openapi` and commit it", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
