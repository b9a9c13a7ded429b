"""Session fixtures of the template's tests: shared environments and per-worker caches."""

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.harness import machine
from tests.harness.envs import build_environment, file_lock, superset_requirements

PYTHON_VERSIONS = ("3.12", "3.13")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--quick",
        action="store_true",
        help="run only the quick subset: defaults, one change per question, their opposite",
    )
    parser.addoption(
        "--shard",
        default="1/1",
        help="K/N: run the K-th of N equal slices of the combinations (CI jobs in parallel)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--quick"):
        items[:] = [
            item for item in items if "matrix" not in item.keywords or "quick" in item.keywords
        ]
    index, count = (int(part) for part in config.getoption("--shard").split("/"))
    if count > 1:
        matrix = [item for item in items if "matrix" in item.keywords]
        mine = set(matrix[index - 1 :: count])
        # Every shard keeps the fast tests; the combinations are split between shards.
        items[:] = [item for item in items if "matrix" not in item.keywords or item in mine]


def find_python(version: str) -> str:
    """PYTHON312 / PYTHON313, an interpreter beside this one or under pyenv; else uv's."""
    found = machine.find_python(version)
    if found:
        return found
    result = subprocess.run(
        ["uv", "python", "find", version], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        pytest.fail(
            f"No Python {version} found: set PYTHON{version.replace('.', '')} to an interpreter "
            f"path ({result.stderr.strip()})"
        )
    return result.stdout.strip()


@pytest.fixture(scope="session")
def shared_dir(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A folder all xdist workers of this run share."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@pytest.fixture(scope="session")
def superset_environments(shared_dir: Path) -> dict[str, Path]:
    """Python version -> environment with the superset of the rendered projects' dependencies."""
    environments = {}
    with file_lock(shared_dir / "environments.lock"):
        requirements = None
        for version in PYTHON_VERSIONS:
            destination = shared_dir / f"env-{version}"
            if not (destination / ".complete").exists():
                if requirements is None:
                    workdir = shared_dir / "requirements"
                    shutil.rmtree(workdir, ignore_errors=True)
                    requirements = superset_requirements(workdir)
                shutil.rmtree(destination, ignore_errors=True)
                build_environment(find_python(version), requirements, destination)
                (destination / ".complete").touch()
            environments[version] = destination
    return environments


@pytest.fixture(scope="session")
def mypy_cache(shared_dir: Path, worker_id: str) -> Path:
    """One warm cache per worker: cold mypy takes ~15 s, warm about a second."""
    return shared_dir / f"mypy-cache-{worker_id}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Time per combination and in total, so a slowdown shows in every run's output."""
    reports = [
        report
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        if report.when == "call" and "test_matrix.py" in report.nodeid
    ]
    updates = [
        report
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        if report.when == "call" and "update_seconds" in dict(report.user_properties)
    ]
    if updates:
        terminalreporter.section("time per update (copier update to HEAD)")
        for report in sorted(updates, key=lambda report: report.nodeid):
            seconds = dict(report.user_properties)["update_seconds"]
            terminalreporter.write_line(f"{seconds:6.1f}s  {report.nodeid.split('::', 1)[1]}")
    if not reports:
        return
    terminalreporter.section("time per combination")
    for report in sorted(reports, key=lambda report: report.nodeid):
        steps = dict(report.user_properties).get("timings", {})
        detail = "  ".join(f"{name} {seconds:.1f}s" for name, seconds in steps.items())
        name = report.nodeid.split("::", 1)[1]
        terminalreporter.write_line(f"{report.duration:6.1f}s  {name}  [{detail}]")
    total = sum(report.duration for report in reports)
    terminalreporter.write_line(
        f"{len(reports)} combinations, {total:.0f}s of work, mean {total / len(reports):.1f}s each"
    )
