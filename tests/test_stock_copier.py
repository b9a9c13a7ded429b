"""A stock Copier in a clean environment renders and updates the template, without --trust."""

import os
import subprocess
from pathlib import Path

from tests.harness.gitrepo import commit_all, git, template_copy

# `uv tool run --isolated`: a throw-away environment holding Copier and its dependencies only.
STOCK_COPIER = ("uv", "tool", "run", "--isolated", "--from", "copier>=9.4,<10")
MARKER = "# Added by the next release.\n"


def stock(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if name != "VIRTUAL_ENV"}
    return subprocess.run(
        [*STOCK_COPIER, *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )


def test_stock_copier_has_no_extension_loader(tmp_path: Path) -> None:
    found = stock(
        "python",
        "-c",
        "import importlib.util; print(importlib.util.find_spec('copier_template_extensions'))",
        cwd=tmp_path,
    )

    assert found.stdout.strip() == "None"


def test_stock_copier_renders_and_updates_without_trust(tmp_path: Path) -> None:
    repo = template_copy(tmp_path / "template")
    git(repo, "tag", "9.0.0")
    project = tmp_path / "project"

    stock("copier", "copy", "--defaults", str(repo), str(project), cwd=tmp_path)
    git(project, "init", "--quiet")
    commit_all(project, "Rendered")

    gitignore = repo / "template" / ".gitignore"
    gitignore.write_text(gitignore.read_text() + MARKER)
    commit_all(repo, "Template fix")
    git(repo, "tag", "9.0.1")
    stock("copier", "update", "--defaults", cwd=project)

    assert MARKER in (project / ".gitignore").read_text()
    assert "_commit: 9.0.1" in (project / ".copier-answers.yml").read_text()
