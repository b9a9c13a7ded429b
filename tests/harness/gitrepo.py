"""Throw-away git copies of the template, for tests that need tags and commits."""

import subprocess
from pathlib import Path

from tests.harness.render import copy_template_parts


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=Template Tests", "-c", "user.email=tests@example.com", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def template_copy(destination: Path) -> Path:
    """This working tree's template (uncommitted edits included) as a fresh one-commit repo."""
    copy_template_parts(destination)
    git(destination, "init", "--quiet", "--initial-branch=main")
    commit_all(destination, "Template")
    return destination


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--message", message)
