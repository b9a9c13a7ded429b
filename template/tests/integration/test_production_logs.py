"""In production every line the process writes is one JSON object, uvicorn's lines too."""

import json
import socket
import subprocess  # nosec B404 - runs this project's own server, with fixed arguments
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.utils.phone import mask_phone
from tests.log_app import (
    FAILING_PATH,
    LEAKY_DATABASE_PATH,
    LEAKY_JWT,
    LEAKY_MESSAGE_PATH,
    LEAKY_PARAMETER,
    LEAKY_PHONE,
    LEAKY_SECRET,
)
from tests.production import production_environment

pytestmark = pytest.mark.process

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# A bound, not a wait: importing the app takes seconds on a loaded CI machine.
START_TIMEOUT_SECONDS = 60.0


def is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_live(base_url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail("the server stopped during start-up")
        try:
            if httpx.get(f"{base_url}/live", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)  # polling a starting process, not waiting for a result
    pytest.fail("the server did not start")


def requests_to_the_failing_app(
    database_url: str, tmp_path: Path, paths: tuple[str, ...]
) -> tuple[list[int], str]:
    """Starts the failing app in production settings, requests each path, stops it: the
    statuses, and every line the process wrote."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uvicorn", "tests.log_app:create_failing_app", "--factory"]
    server = subprocess.Popen(  # noqa: S603  # nosec B603 - fixed arguments, no shell
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path,
        env={**production_environment(database_url), "PYTHONPATH": str(PROJECT_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_live(base_url, server)
        statuses = [httpx.get(f"{base_url}{path}", timeout=5).status_code for path in paths]
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    return statuses, output


def test_every_line_of_an_unhandled_error_is_json(database_url: str, tmp_path: Path) -> None:
    statuses, output = requests_to_the_failing_app(database_url, tmp_path, (FAILING_PATH,))

    assert statuses == [500]
    lines = output.splitlines()
    assert lines
    assert [line for line in lines if not is_json_object(line)] == []
    events: list[dict[str, Any]] = [json.loads(line) for line in lines]
    assert any(str(event["event"]).startswith("Started server process") for event in events)
    failures = [
        event
        for event in events
        if "RuntimeError: unhandled test failure" in str(event.get("exception", ""))
    ]
    assert failures, "the traceback is a field of a JSON line"
    assert all(event["level"] == "error" for event in failures)


def test_errors_leave_no_phone_number_parameter_token_or_secret_in_the_log(
    database_url: str, tmp_path: Path
) -> None:
    statuses, output = requests_to_the_failing_app(
        database_url, tmp_path, (LEAKY_DATABASE_PATH, LEAKY_MESSAGE_PATH)
    )

    # SQLite's "no such table" is an OperationalError, answered as the database unavailable.
    assert statuses[0] in {500, 503}
    assert statuses[1] == 500
    events: list[dict[str, Any]] = [json.loads(line) for line in output.splitlines()]
    database_errors = [str(event) for event in events if "no_such_table" in str(event)]
    assert database_errors, "the database error is logged"
    assert all("SQL parameters hidden" in error for error in database_errors)
    failures = [str(event.get("exception", "")) for event in events if event["level"] == "error"]
    masked = f"provider refused {mask_phone(LEAKY_PHONE)}"
    assert any(masked in failure for failure in failures)
    warning = next(event for event in events if event["event"] == "about_to_fail")
    assert warning["refresh_token"] == "[redacted]"
    for leaked in (LEAKY_PHONE, LEAKY_PARAMETER, LEAKY_JWT, LEAKY_SECRET):
        assert leaked not in output
