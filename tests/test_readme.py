"""The README's set-up commands work as written, outside this test environment."""

import os
import re
import shutil
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
    """A fresh shell of a new user of this machine: an empty HOME, no virtualenv or
    PYTHONPATH, no uv or pyenv on PATH, `python3` being 3.12.

    The machine's own settings (CA certificates, proxies, locale) stay, as a user has them,
    and uv's package cache (no downloads of what the machine already has).
    """
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(os.environ.get("PYTHON312", sys._base_executable))
    env = {
        name: value for name, value in os.environ.items() if not name.startswith(TEST_RUN_VARIABLES)
    }
    env["UV_CACHE_DIR"] = os.environ.get("UV_CACHE_DIR", str(Path.home() / ".cache" / "uv"))
    if "UV_PYTHON_DOWNLOADS" in os.environ:  # never an interpreter download
        env["UV_PYTHON_DOWNLOADS"] = os.environ["UV_PYTHON_DOWNLOADS"]
    home = bin_dir.parent / "home"
    home.mkdir()
    env["HOME"] = str(home)
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


# What a new team types next in the same shell, once the server stops (Ctrl-C).
NEXT_STEPS = "uv --version && uv run alembic current && make -n test"


def stop_server_keep_shell(shell: subprocess.Popen[str]) -> None:
    """Stops the command's server as Ctrl-C would, so the shell goes on to the next line."""
    children = Path(f"/proc/{shell.pid}/task/{shell.pid}/children").read_text().split()
    for child in children:
        os.kill(int(child), signal.SIGINT)


def test_render_and_run_command_serves_health(tmp_path: Path) -> None:
    clone = template_copy(tmp_path / "clone")
    env = clean_environment(tmp_path / "bin")
    port = free_port()
    env["UVICORN_PORT"] = str(port)
    server = subprocess.Popen(
        ["bash", "-c", f"{readme_command('render-and-run')}\n{NEXT_STEPS}"],
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
        stop_server_keep_shell(server)
        server.wait(timeout=60)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    assert (tmp_path / "my-service" / ".copier-answers.yml").exists()
    # The project's own commands work in the shell the quick start ran in: uv is on PATH.
    assert server.returncode == 0, "".join(output)
    assert re.search(r"^uv \d+\.\d+", "".join(output), re.MULTILINE), "".join(output)


def test_test_suite_command_finds_what_the_suite_needs(tmp_path: Path) -> None:
    """The README's test command, in a new user's shell, up to collecting the tests: its
    machine step finds the tools and both interpreters (PYTHON313 unset, no pyenv on PATH)."""
    clone = tmp_path / "clone"
    shutil.copytree(
        TEMPLATE_ROOT,
        clone,
        ignore=shutil.ignore_patterns(".git", ".venv", "__pycache__", ".*_cache"),
    )
    env = clean_environment(tmp_path / "bin")

    result = subprocess.run(
        ["bash", "-c", f"{readme_command('test-suite')} --collect-only -q tests/test_readme.py"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for needed in ("promtool", "wrk", "chromium", "Python 3.12", "Python 3.13"):
        assert re.search(rf"^machine: {needed}: /", result.stdout, re.MULTILINE), result.stdout
    assert "test_render_and_run_command_serves_health" in result.stdout
