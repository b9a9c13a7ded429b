"""A stock Copier in a clean environment renders and updates the template, without --trust."""

import os
import subprocess
from pathlib import Path

import yaml

from tests.combinations import COPIER_YML, load_questions
from tests.harness.gitrepo import commit_all, git, template_copy

# `uv tool run --isolated`: a throw-away environment holding Copier and its dependencies only.
STOCK_COPIER = "copier>=9.7,<10"
MARKER = "# Added by the next release.\n"


def stock(
    *args: str, cwd: Path, copier: str = STOCK_COPIER, check: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if name != "VIRTUAL_ENV"}
    return subprocess.run(
        ["uv", "tool", "run", "--isolated", "--from", copier, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=check,
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


def test_the_oldest_copier_admitted_checks_yes_no_answers(tmp_path: Path) -> None:
    """copier.yml's `_min_copier_version` is true: that Copier runs the validators of the
    yes/no questions (they read `_copier_conf`, which older ones do not give them)."""
    oldest = f"copier=={yaml.safe_load(COPIER_YML.read_text())['_min_copier_version']}"
    repo = template_copy(tmp_path / "template")
    yes_no = [name for name, spec in load_questions().items() if spec.get("type") == "bool"]
    answers = [arg for name in yes_no for arg in ("-d", f"{name}=no")]

    rendered = stock(
        "copier",
        "copy",
        "--defaults",
        *answers,
        str(repo),
        "ok",
        cwd=tmp_path,
        copier=oldest,
        check=False,
    )
    refused = stock(
        "copier",
        "copy",
        "--defaults",
        "-d",
        f"{yes_no[0]}=maybe",
        str(repo),
        "refused",
        cwd=tmp_path,
        copier=oldest,
        check=False,
    )

    assert rendered.returncode == 0, f"{oldest} cannot render: {rendered.stderr[-600:]}"
    assert refused.returncode != 0
    assert f"{yes_no[0]} must be yes or no" in refused.stderr
