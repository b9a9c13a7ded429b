"""One virtual environment per Python version holding every dependency any answer set needs.

Installing per combination would cost minutes each; sharing is sound because deptry checks
each rendered pyproject against its own imports, so a package the shared environment happens
to hold cannot hide a missing declaration.
"""

import fcntl
import os
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.combinations import quick_combinations
from tests.harness.render import render


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Serialise work between pytest-xdist workers (they share the base temp folder)."""
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def project_requirements(project: Path) -> list[str]:
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    groups = pyproject.get("dependency-groups", {})
    return [*pyproject["project"]["dependencies"], *groups.get("dev", [])]


def superset_requirements(workdir: Path) -> list[str]:
    """Every value of every question appears in the quick subset, so its union is complete."""
    requirements: set[str] = set()
    for index, answers in enumerate(quick_combinations()):
        project = render(workdir / f"deps-{index}", answers)
        requirements.update(project_requirements(project))
        shutil.rmtree(project)
    return sorted(requirements)


def uv() -> str:
    found = shutil.which("uv")
    if found is None:
        raise RuntimeError("uv is not on PATH: run the tests with `uv run pytest`")
    return found


def build_environment(python: str, requirements: list[str], destination: Path) -> Path:
    env = {**os.environ, "UV_COMPILE_BYTECODE": "1"}  # PYTHONDONTWRITEBYTECODE=1 doubles start-up
    env.pop("VIRTUAL_ENV", None)
    subprocess.run(
        [uv(), "venv", "--quiet", "--python", python, str(destination)], check=True, env=env
    )
    interpreter = destination / "bin" / "python"
    subprocess.run(
        [uv(), "pip", "install", "--quiet", "--python", str(interpreter), *requirements],
        check=True,
        env=env,
    )
    return destination
