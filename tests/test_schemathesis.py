"""Schemathesis, every check on, against a started default render: the OpenAPI schema says
what the service does (statuses, bodies, optional and required authentication, formats).

Bounded: a few examples per operation and a time budget, so the run stays within a minute.
"""

import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.harness.render import TEMPLATE_ROOT, render
from tests.test_started_service import PHONE, StartedService

CONFIG = Path(__file__).parent / "schemathesis" / "schemathesis.toml"
ST = Path(sys.executable).parent / "st"
# Limits high enough for the test's own requests to reach the logic behind them (429 is
# still documented and accepted); the defaults are tested in the rendered suite.
UNLIMITED = {
    "AUTH_RATE_LIMIT_PER_IP": "100000/minute",
    "VERIFICATION_SENDS_PER_HOUR": "100000",
}


def access_token(service: StartedService) -> str:
    with httpx.Client(base_url=service.base_url, timeout=10) as http:
        registered = http.post(
            "/api/v1/auth/register", json={"phone_number": PHONE, "username": "schema_user"}
        )
        assert registered.status_code == 202, registered.text
        tokens = http.post(
            "/api/v1/auth/verify", json={"phone_number": PHONE, "code": service.next_code(0)}
        )
        assert tokens.status_code == 200, tokens.text
        token: str = tokens.json()["access_token"]
        return token


def test_schemathesis_with_every_check_finds_nothing(
    tmp_path: Path, superset_environments: dict[str, Path]
) -> None:
    project = render(tmp_path / "project", {})
    service = StartedService(project, superset_environments["3.12"], settings=UNLIMITED)
    try:
        service.wait_until_ready()
        command = [
            str(ST),
            "--config-file",
            str(CONFIG),
            "run",
            f"{service.base_url}/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            "5",
            "--max-time",
            "45",
            "--seed",
            "21",
            "--header",
            f"Authorization: Bearer {access_token(service)}",
            "--no-color",
        ]
        environment = {
            **os.environ,
            "PYTHONPATH": str(TEMPLATE_ROOT),
            # The `phone` format: numbers that exist, for the tests that expect acceptance.
            "SCHEMATHESIS_HOOKS": "tests.schemathesis.hooks",
        }
        result = subprocess.run(
            command, env=environment, capture_output=True, text=True, timeout=240, check=False
        )
    finally:
        service.stop()

    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
