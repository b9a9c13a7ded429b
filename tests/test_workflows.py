"""The template's own GitHub Actions workflows are valid (GitHub Actions cannot run here)."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness.render import TEMPLATE_ROOT

WORKFLOWS = sorted((TEMPLATE_ROOT / ".github" / "workflows").glob("*.yml"))


def test_there_is_a_workflow() -> None:
    assert WORKFLOWS


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_workflow_matches_the_schema(workflow: Path) -> None:
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
