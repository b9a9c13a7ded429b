"""A rendered service, started as a process with development settings, driven by plain HTTP.

Registration, login, refresh and logout against the running server, with each code read
from the console SMS backend's log line, as a developer would do by hand.
"""

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.harness.render import render
from tests.test_readme import free_port

PHONE = "+14155550123"


class StartedService:
    def __init__(
        self, project: Path, environment: Path, settings: dict[str, str] | None = None
    ) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = project / "service.log"
        env = {
            "PATH": f"{environment / 'bin'}{os.pathsep}/usr/bin:/bin",
            "HOME": os.environ.get("HOME", "/root"),
            "APP_ENV": "development",
            "LOG_JSON": "true",  # one JSON object a line, so the test can read the codes
            "LOG_LEVEL": "INFO",
            # Register then log in at once: no 60 s wait between two codes for one number.
            "VERIFICATION_RESEND_COOLDOWN_SECONDS": "0",
            **(settings or {}),
        }
        python = str(environment / "bin" / "python")
        subprocess.run(
            [python, "-m", "alembic", "upgrade", "head"],
            cwd=project,
            env=env,
            check=True,
            capture_output=True,
        )
        self.process = subprocess.Popen(
            [python, "-m", "uvicorn", "app.main:create_app", "--factory", "--port", str(self.port)],
            cwd=project,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if httpx.get(f"{self.base_url}/ready", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        pytest.fail(f"the service was not ready within 60 s:\n{self.log.read_text()}")

    def codes_sent(self) -> list[str]:
        """The codes of every `sms_console` event in the service's log, oldest first."""
        events = [json.loads(line) for line in self.log.read_text().splitlines() if line[:1] == "{"]
        return [str(event["code"]) for event in events if event.get("event") == "sms_console"]

    def next_code(self, already_seen: int) -> str:
        """The first code sent after `already_seen` codes: sends land just after the response."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            codes = self.codes_sent()
            if len(codes) > already_seen:
                return codes[already_seen]
            time.sleep(0.1)
        pytest.fail(f"no new sms_console line in the log:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def service(tmp_path: Path, superset_environments: dict[str, Path]) -> Iterator[StartedService]:
    project = render(tmp_path / "project", {})
    started = StartedService(project, superset_environments["3.12"])
    try:
        started.wait_until_ready()
        yield started
    finally:
        started.stop()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_register_verify_refresh_logout_then_login(service: StartedService) -> None:
    with httpx.Client(base_url=service.base_url, timeout=10) as http:
        registered = http.post(
            "/api/v1/auth/register", json={"phone_number": PHONE, "username": "e2e_user"}
        )
        assert registered.status_code == 202, registered.text

        tokens = http.post(
            "/api/v1/auth/verify",
            json={
                "phone_number": PHONE,
                "challenge": registered.json()["challenge"],
                "code": service.next_code(0),
            },
        )
        assert tokens.status_code == 200, tokens.text
        pair = tokens.json()
        assert pair["token_type"] == "bearer"

        me = http.get("/api/v1/users/me", headers=bearer(pair["access_token"]))
        assert me.status_code == 200
        assert me.json()["username"] == "e2e_user"

        rotated = http.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
        assert rotated.status_code == 200
        reused = http.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
        assert reused.status_code == 401  # a rotated token again: the family is revoked

        # Reuse revokes the whole session: the access token of the rotation is refused too.
        fresh = rotated.json()
        assert (
            http.get("/api/v1/users/me", headers=bearer(fresh["access_token"])).status_code == 401
        )

        login = http.post("/api/v1/auth/login", json={"phone_number": PHONE})
        assert login.status_code == 202, login.text
        # The registration code is still in the log; wait for the login code after it.
        signed_in = http.post(
            "/api/v1/auth/verify",
            json={
                "phone_number": PHONE,
                "challenge": login.json()["challenge"],
                "code": service.next_code(1),
            },
        )
        assert signed_in.status_code == 200, signed_in.text
        access = signed_in.json()["access_token"]
        again = http.get("/api/v1/users/me", headers=bearer(access))
        assert again.json()["username"] == "e2e_user"

        assert http.post("/api/v1/auth/logout", headers=bearer(access)).status_code == 204
        assert http.get("/api/v1/users/me", headers=bearer(access)).status_code == 401
