"""The benchmark (benchmarks/run.py) runs end to end for a second per target, so it cannot
rot; its numbers are read by people, from a full run, not asserted here. What is asserted:
every target has its numbers, every request was answered with a 2xx (the references too: a
reference that drifted from the service shows here), and nothing failed."""

import re
import subprocess
import sys
from pathlib import Path

from tests.harness.render import TEMPLATE_ROOT, render

# Every request succeeds on every target: verify is sent a right code of its own each time.
TARGETS = (
    "service /api/v1/users/me",
    "driver-only /users/me",
    "service /live",
    "bare /live",
    "service /api/v1/users/me/settings",
    "driver-only /users/me/settings",
    "service PATCH /api/v1/users/me",
    "driver-only PATCH /users/me",
    "service /api/v1/features",
    "driver-only /features",
    "service POST /auth/refresh",
    "driver-only POST /auth/refresh",
    "service POST /auth/login",
    "driver-only POST /auth/login",
    "service POST /auth/verify",
    "driver-only POST /auth/verify",
)
# Requests with a body: their scripts count the answers' statuses.
BODY_TARGETS = tuple(target for target in TARGETS if " PATCH " in target or " POST " in target)
RATIOS = (
    "ours/driver-only on /users/me:",
    "live/bare on /live:",
    "ours/driver-only on /users/me/settings:",
    "ours/driver-only on PATCH /users/me:",
    "ours/driver-only on /features:",
    "ours/driver-only on POST /auth/refresh:",
    "ours/driver-only on POST /auth/login:",
    "ours/driver-only on POST /auth/verify:",
)
NUMBER = r"[\d.]+"


def row_of(target: str, output: str) -> re.Match[str] | None:
    return re.search(
        rf"^round 1  {re.escape(target)} +{NUMBER} req/s  p50 +{NUMBER} ms  p99 +{NUMBER} ms  "
        rf"non-2xx +(?P<non_2xx>\d+)  errors +(?P<errors>\d+)  cpu +{NUMBER} ms/req  "
        rf"new db sessions \d+(?P<statuses>.*)$",
        output,
        re.MULTILINE,
    )


def test_the_benchmark_runs_and_prints_every_number(
    tmp_path: Path, superset_environments: dict[str, Path]
) -> None:
    # The harness's shared environment instead of the script's own `uv sync` of the render.
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

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    rows = {target: row_of(target, result.stdout) for target in TARGETS}
    assert all(rows.values()), output
    for target, row in rows.items():
        assert row is not None
        assert row["errors"] == "0", output
        assert row["non_2xx"] == "0", output
        if target in BODY_TARGETS:
            assert re.fullmatch(r"  statuses( \d{3}:\d+)+", row["statuses"]), output
    for label in RATIOS:
        assert re.search(rf"^{re.escape(label)} +\d+\.\d\d$", result.stdout, re.MULTILINE), output
        # The tail: p99 ours/reference in the one round.
        assert re.search(rf"^  {re.escape(label)} +\d+\.\d\d$", result.stdout, re.MULTILINE), output
    assert re.search(
        r"^start-up: process start to first 200 from /ready: \d+\.\d\d s"
        r" \(median of 1 starts: \d+\.\d\d\)$",
        result.stdout,
        re.MULTILINE,
    ), output
    assert re.search(
        r"^memory: service resident after the rounds: [1-9]\d* MB$", result.stdout, re.MULTILINE
    ), output
