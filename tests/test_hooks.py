"""Copier tasks in hooks/."""

import subprocess
from pathlib import Path

from tests.harness.gitrepo import git
from tests.harness.render import render


def test_a_fresh_project_becomes_a_git_repository(tmp_path: Path) -> None:
    project = render(tmp_path / "project", {})

    assert (project / ".git").is_dir()
    assert git(project, "status", "--porcelain")  # nothing committed yet: the team's first commit


def test_a_project_inside_a_repository_gets_no_nested_one(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)

    project = render(tmp_path / "service", {})

    assert not (project / ".git").exists()
