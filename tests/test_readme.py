"""The README's set-up commands work as written, outside this test environment."""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.harness.gitrepo import template_copy
from tests.harness.render import TEMPLATE_ROOT

README = TEMPLATE_ROOT / "README.md"


def readme_command(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\s*```sh\n(.+?)\n```", README.read_text(), re.DOTALL)
    assert match, f"README.md has no `{marker}` command"
    return match.group(1).strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# What this test run adds to the environment: interpreters, virtualenv, pytest and uv settings.
TEST_RUN_VARIABLES = ("PYTHON", "VIRTUAL_ENV", "UV_", "PYTEST", "COV_CORE")


def clean_environment(bin_dir: Path) -> dict[str, str]:
    """A fresh shell of this machine: no virtualenv or PYTHONPATH, `python3` being 3.12.

    The machine's own settings (CA certificates, proxies, locale) stay, as a user has them.
    """
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(os.environ.get("PYTHON312", sys._base_executable))
    env = {
        name: value for name, value in os.environ.items() if not name.startswith(TEST_RUN_VARIABLES)
    }
    for name in ("UV_CACHE_DIR", "UV_PYTHON_DOWNLOADS"):  # the package cache, no downloads
        if name in os.environ:
            env[name] = os.environ[name]
    env["PATH"] = f"{bin_dir}{os.pathsep}/usr/local/bin:/usr/bin:/bin"
    return env


def test_readme_has_exactly_two_setup_commands() -> None:
    assert len(re.findall(r"<!-- [a-z-]+ -->\s*```sh", README.read_text())) == 2
    assert "--vcs-ref HEAD" in readme_command("render-and-run")
    assert "--trust" not in readme_command("render-and-run")
    assert "--with" not in readme_command("render-and-run")  # a stock Copier is enough


def test_test_suite_command_is_what_ci_runs() -> None:
    ci_script = (TEMPLATE_ROOT / ".ci" / "run").read_text()

    assert readme_command("test-suite") in ci_script


QUICK_START_PHONE = "+14155550123"
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def register_and_verify(base_url: str, output: list[str]) -> None:
    """A new user's first calls: register, read the console code from the log, verify it."""
    registered = httpx.post(
        f"{base_url}/api/v1/auth/register",
        json={"phone_number": QUICK_START_PHONE, "username": "quick_start"},
        timeout=10,
    )
    assert registered.status_code == 202, registered.text
    deadline = time.monotonic() + 10
    codes: list[str] = []
    while not codes and time.monotonic() < deadline:
        log = ANSI_COLOUR.sub("", "".join(output))  # development logs are coloured
        codes = re.findall(r"sms_console.*?code=['\"]?([0-9]{4,10})", log)
        time.sleep(0.1)
    assert codes, "the console SMS backend logged no code:\n" + "".join(output)
    verified = httpx.post(
        f"{base_url}/api/v1/auth/verify",
        json={
            "phone_number": QUICK_START_PHONE,
            "challenge": registered.json()["challenge"],
            "code": codes[-1],
        },
        timeout=10,
    )
    assert verified.status_code == 200, verified.text
    assert verified.json()["access_token"]


def test_render_and_run_command_serves_health(tmp_path: Path) -> None:
    clone = template_copy(tmp_path / "clone")
    env = clean_environment(tmp_path / "bin")
    port = free_port()
    env["UVICORN_PORT"] = str(port)
    server = subprocess.Popen(
        ["bash", "-c", readme_command("render-and-run")],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: list[str] = []
    # Read the log as it comes, so the test can find the console code while the server runs.
    threading.Thread(target=output.extend, args=(server.stdout,), daemon=True).start()
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"the command exited with {server.returncode}:\n{''.join(output)}")
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
            except httpx.TransportError:
                time.sleep(0.5)
                continue
            assert response.status_code == 200
            assert response.json()["status"] == "ok"
            register_and_verify(f"http://127.0.0.1:{port}", output)
            break
        else:
            pytest.fail("the service did not answer /health within 240 s")
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    assert (tmp_path / "my-service" / ".copier-answers.yml").exists()
