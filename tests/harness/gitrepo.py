"""Throw-away git copies of the template, for tests that need tags and commits."""

import shutil
import subprocess
from pathlib import Path

from tests.harness.render import TEMPLATE_ROOT

TEMPLATE_PARTS = ("copier.yml", "template", "hooks", "CHANGELOG.md")


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
    destination.mkdir(parents=True)
    for part in TEMPLATE_PARTS:
        source = TEMPLATE_ROOT / part
        if not source.exists():
            continue
        if source.is_dir():
            shutil.copytree(
                source, destination / part, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(source, destination / part)
    git(destination, "init", "--quiet", "--initial-branch=main")
    commit_all(destination, "Template")
    return destination


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--message", message)
