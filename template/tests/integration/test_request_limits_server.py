"""The request limits as a client meets them: raw sockets against a started uvicorn, so the
server's own parser and timeouts are part of what is tested."""

import json
import socket
import subprocess  # nosec B404 - runs this project's own server, with fixed arguments
import sys
import time
from collections.abc import Iterator

import pytest

from tests.integration.test_production_logs import PROJECT_ROOT, free_port, wait_until_live
from tests.production import production_environment

pytestmark = pytest.mark.process

BODY_TIMEOUT_SECONDS = 1.0


@pytest.fixture(scope="module")
def port(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A production server of this project (as its image starts it), with a short body
    timeout; one for the module, since starting one takes seconds."""
    port = free_port()
    environment = {
        **production_environment(database_url),
        "PYTHONPATH": str(PROJECT_ROOT),
        "REQUEST_BODY_TIMEOUT_SECONDS": str(BODY_TIMEOUT_SECONDS),
    }
    command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
    server = subprocess.Popen(  # noqa: S603  # nosec B603 - fixed arguments, no shell
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path_factory.mktemp("server"),
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        wait_until_live(f"http://127.0.0.1:{port}", server)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def read_answer(connection: socket.socket) -> tuple[str, dict[str, str], bytes]:
    """Status line, headers and body of one answer; reads until the server closes."""
    data = b""
    while chunk := connection.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines)
    return status, headers, body


def test_ten_thousand_headers_are_431(port: int) -> None:
    padding = b"".join(b"X-Padding-%d: 1\r\n" % index for index in range(10_000))
    request = b"GET /health HTTP/1.1\r\nHost: api\r\nConnection: close\r\n" + padding + b"\r\n"

    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        status, headers, body = read_answer(connection)

    assert status == "HTTP/1.1 431 Request Header Fields Too Large"
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["type"] == "urn:problem-type:request-header-fields-too-large"


def test_a_body_held_open_is_cut_off_with_408(port: int) -> None:
    request = (
        b"POST /api/v1/auth/login HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\n"
        b'Content-Length: 100\r\n\r\n{"phone_number": '
    )

    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        started = time.monotonic()
        connection.sendall(request)
        status, headers, body = read_answer(connection)  # returns once the server closes
        waited = time.monotonic() - started

    assert status == "HTTP/1.1 408 Request Timeout"
    assert headers["connection"] == "close"
    assert json.loads(body)["type"] == "urn:problem-type:request-timeout"
    assert BODY_TIMEOUT_SECONDS <= waited < BODY_TIMEOUT_SECONDS + 5
