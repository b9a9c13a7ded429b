"""The generated services' template-update workflow and Renovate configuration.

Schema and zizmor run on every rendered workflow in tests/harness/static.py; these check the
design: schedule, pins, permissions, and the CHANGELOG excerpt its pull request carries.
"""

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.harness.render import render

VERIFIED_PINS = {
    "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1",
    "astral-sh/setup-uv@20cfd1bf945f4377ade1205e4dbc17946fc9a30d",
}
CHANGELOG = """# Changelog

## Unreleased

### Added
- Not released yet.

## 0.3.0 - 2027-02-01

### Fixed
- Three.

## 0.2.0 - 2027-01-01

### Added
- Two.

## 0.1.0 - 2026-12-04

### Added
- One.
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(tmp_path_factory.mktemp("update-workflow") / "project", {})


def workflow(project: Path) -> dict[str, object]:
    text = (project / ".github/workflows/template-update.yml").read_text()
    return yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader keeps "on" a string


def test_runs_weekly_and_on_demand_with_least_privilege(project: Path) -> None:
    flow = workflow(project)
    job = flow["jobs"]["update"]  # type: ignore[index]

    assert set(flow["on"]) == {"schedule", "workflow_dispatch"}  # type: ignore[arg-type]
    assert flow["permissions"] == {}
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    uses = {step["uses"] for step in job["steps"] if "uses" in step}
    assert uses == VERIFIED_PINS
    checkout = next(step for step in job["steps"] if "checkout" in step.get("uses", ""))
    assert checkout["with"]["persist-credentials"] == "false"
    commands = "\n".join(step.get("run", "") for step in job["steps"])
    assert "copier update --defaults" in commands
    assert "--trust" not in commands.replace("no --trust", "")
    assert "uv run pytest" in commands


def test_pull_request_body_holds_the_changelog_between_versions(
    project: Path, tmp_path: Path
) -> None:
    commands = "\n".join(
        step.get("run", "") for step in workflow(project)["jobs"]["update"]["steps"]
    )  # type: ignore[index]
    program = re.search(r"awk -v old=\"## \$\{OLD%%-\*\} \" '([^']+)'", commands)
    assert program, "the workflow's awk excerpt changed: update this test"
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(CHANGELOG)

    excerpt = subprocess.run(
        ["awk", "-v", "old=## 0.1.0 ", program.group(1), str(changelog)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert excerpt.startswith("## 0.3.0 - 2027-02-01\n")
    assert "- Three." in excerpt and "- Two." in excerpt
    assert "One." not in excerpt and "Not released" not in excerpt


def test_renovate_uses_only_its_copier_manager(project: Path) -> None:
    config = json.loads((project / "renovate.json").read_text())

    assert config["enabledManagers"] == ["copier"]
    assert "allowScripts" not in config and "ignoreScripts" not in config  # no scripts to run


def test_conflicts_copier_leaves_fail_the_run(project: Path, tmp_path: Path) -> None:
    """Copier exits 0 with inline markers or .rej files: the workflow finds them and fails."""
    steps = {step.get("name"): step for step in workflow(project)["jobs"]["update"]["steps"]}  # type: ignore[index]
    repo = tmp_path / "service"
    repo.mkdir()
    subprocess.run(["git", "init", "--quiet"], cwd=repo, check=True)
    (repo / "router.py").write_text(
        "<<<<<<< before updating\nteam\n=======\nours\n>>>>>>> after updating\n"
    )
    (repo / "settings.py.rej").write_text("@@ -1 +1 @@\n")
    (repo / "clean.py").write_text("x = 1\n")
    env = {"RUNNER_TEMP": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def step(name: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-e", "-c", steps[name]["run"]],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    listed = step("List conflicts")
    failed = step("Fail on conflicts")

    assert listed.returncode == 0
    assert (tmp_path / "conflicts.txt").read_text() == "router.py\nsettings.py.rej\n"
    assert failed.returncode == 1
    assert "::error::copier update left conflicts in: router.py settings.py.rej" in failed.stdout
    (repo / "router.py").write_text("ours\n")
    (repo / "settings.py.rej").unlink()
    assert step("List conflicts").returncode == 0
    assert step("Fail on conflicts").returncode == 0
