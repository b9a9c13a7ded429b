"""The benchmark (benchmarks/run.py) runs end to end for a second per target, so it cannot
rot; its numbers are read by people, from a full run, not asserted here."""

import re
import subprocess
import sys
from pathlib import Path

from tests.harness.render import TEMPLATE_ROOT, render

TARGETS = (
    "service /api/v1/users/me",
    "driver-only /users/me",
    "service /live",
    "bare /live",
    "service POST /auth/login",
    "service POST /auth/verify",
)


def test_the_benchmark_runs_and_prints_every_number(
    tmp_path: Path, superset_environments: dict[str, Path]
) -> None:
    project = render(tmp_path / "project", {})
    interpreter = superset_environments["3.12"] / "bin" / "python"

    command = [sys.executable, "benchmarks/run.py", "--quick", "--project", str(project)]
    result = subprocess.run(
        [*command, "--python", str(interpreter)],
        cwd=TEMPLATE_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    for target in TARGETS:
        assert re.search(
            rf"round 1  {re.escape(target)} +[\d.]+ req/s  p50 +[\d.]+ ms", result.stdout
        )
    assert re.search(r"ours/driver-only on /users/me: \d+\.\d\d", result.stdout)
    assert re.search(r"live/bare on /live: +\d+\.\d\d", result.stdout)
