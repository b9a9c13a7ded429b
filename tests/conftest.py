"""Session fixtures of the template's tests: shared environments and per-worker caches."""

import shutil
import subprocess
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.harness import machine
from tests.harness.clock import StageClock
from tests.harness.envs import build_environment, file_lock, superset_requirements
from tests.harness.preload import PreloadServer

PYTHON_VERSIONS = ("3.12", "3.13")

# Stages of session fixtures (environment builds), reported with the next test that ends.
SESSION_CLOCK = StageClock()
# Summed over the run from each test's teardown report: stage -> [wall, CPU, times].
RUN_STAGES: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
RUN_FILES: dict[str, float] = defaultdict(float)
RUN_STARTED = time.perf_counter()


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
                    with SESSION_CLOCK.stage("superset requirements"):
                        requirements = superset_requirements(workdir)
                shutil.rmtree(destination, ignore_errors=True)
                with SESSION_CLOCK.stage(f"environment {version}"):
                    build_environment(find_python(version), requirements, destination)
                (destination / ".complete").touch()
            environments[version] = destination
    return environments


@pytest.fixture(scope="session")
def mypy_cache(shared_dir: Path, worker_id: str) -> Path:
    """One warm cache per worker: cold mypy takes ~15 s, warm about a second."""
    return shared_dir / f"mypy-cache-{worker_id}"


@pytest.fixture(scope="session")
def preload_server(
    superset_environments: dict[str, Path], shared_dir: Path, worker_id: str
) -> Iterator[PreloadServer]:
    """This worker's tests/harness/preload_server.py in the 3.12 environment."""
    environment = superset_environments["3.12"]
    env = {
        "PATH": f"{environment / 'bin'}:/usr/bin:/bin",
        "HOME": str(Path.home()),
        "LANG": "C.UTF-8",
        "VIRTUAL_ENV": str(environment),
    }
    server = PreloadServer.start(environment, shared_dir / f"preload-{worker_id}.sock", env)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _report_session_stages(record_property: Callable[[str, object], None]) -> Iterator[None]:
    yield
    if SESSION_CLOCK.stages:
        record_property("session_stages", dict(SESSION_CLOCK.stages))
        SESSION_CLOCK.stages.clear()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Runs in the controlling process for every worker's reports too."""
    RUN_FILES[report.nodeid.split("::", 1)[0]] += report.duration
    if report.when != "teardown":
        return
    properties = dict(report.user_properties)
    for key in ("stages", "session_stages"):
        for name, (wall, cpu) in properties.get(key, {}).items():
            totals = RUN_STAGES[name]
            totals[0] += wall
            totals[1] += cpu
            totals[2] += 1


def write_stage_table(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.section("time per stage, summed over the run (wall and CPU seconds)")
    terminalreporter.write_line(f"{'stage':<24}{'times':>6}{'wall':>9}{'CPU':>9}{'CPU/time':>10}")
    for name, (wall, cpu, times) in sorted(RUN_STAGES.items(), key=lambda item: -item[1][1]):
        terminalreporter.write_line(
            f"{name:<24}{times:>6}{wall:>9.1f}{cpu:>9.1f}{cpu / times:>10.2f}"
        )
    wall = sum(totals[0] for totals in RUN_STAGES.values())
    cpu = sum(totals[1] for totals in RUN_STAGES.values())
    terminalreporter.write_line(f"{'all stages':<24}{'':>6}{wall:>9.1f}{cpu:>9.1f}")
    terminalreporter.section("time per test file (wall seconds, summed over tests)")
    for name, seconds in sorted(RUN_FILES.items(), key=lambda item: -item[1]):
        terminalreporter.write_line(f"{seconds:8.1f}s  {name}")
    elapsed = time.perf_counter() - RUN_STARTED
    terminalreporter.write_line(f"run: {elapsed:.0f}s wall from start-up to this summary")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Time per stage, per combination and in total, so a slowdown shows in every run."""
    if RUN_STAGES:
        write_stage_table(terminalreporter)
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
        steps = dict(report.user_properties).get("stages", {})
        detail = "  ".join(f"{name} {wall:.1f}s" for name, (wall, _) in steps.items())
        name = report.nodeid.split("::", 1)[1]
        terminalreporter.write_line(f"{report.duration:6.1f}s  {name}  [{detail}]")
    total = sum(report.duration for report in reports)
    terminalreporter.write_line(
        f"{len(reports)} combinations, {total:.0f}s of work, mean {total / len(reports):.1f}s each"
    )
