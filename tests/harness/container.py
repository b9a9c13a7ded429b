"""Build a rendered project's image and run it as an operator would, for the container check."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx

from tests.harness.engine import Engine, EngineUnavailable

# The image's own command listens here, and the host network is shared with the machine.
PORT = 8000
BASE_URL = f"http://127.0.0.1:{PORT}"
HARDENING = ["--network=host", "--http-proxy=false", "--read-only", "--cap-drop=ALL"]
# uv in the build reaches PyPI through this machine's TLS-intercepting proxy only when it
# trusts the machine's CA bundle; both are mounted for the build, the image does not keep them.
MACHINE_CA = Path("/etc/ssl/certs/ca-certificates.crt")
UV_CONFIG = "system-certs = true\nnative-tls = true\n"


def build(engine: Engine, project: Path, tag: str) -> float:
    """Build the project's Dockerfile unchanged; seconds taken."""
    ca, ca_inside = engine.staged("machine-ca.crt")
    shutil.copyfile(MACHINE_CA, ca)
    config, config_inside = engine.staged("uv.toml")
    config.write_text(UV_CONFIG)
    started = time.monotonic()
    engine.podman(
        "build",
        "--format=docker",  # the OCI format would drop the HEALTHCHECK
        "--network=host",
        f"--volume={ca_inside}:/etc/ssl/certs/ca-certificates.crt:ro",
        f"--volume={config_inside}:/etc/uv/uv.toml:ro",
        f"--tag={tag}",
        project,
    )
    return time.monotonic() - started


def port_holder() -> str | None:
    """What already listens on the image's port, if anything."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) != 0:
            return None
    found = subprocess.run(["ss", "-ltnpH", f"sport = :{PORT}"], capture_output=True, text=True)
    return found.stdout.strip() or "an unknown process"


def wait_for(url: str, *, seconds: float, engine: Engine, name: str) -> float:
    """Seconds until `url` answers 200; fails with the container's log otherwise."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        state = engine.podman("inspect", "--format={{.State.Status}}", name).stdout.strip()
        if state != "running":
            raise AssertionError(f"{name} is {state} before {url} answered:\n{logs(engine, name)}")
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer 200 within {seconds} s:\n{logs(engine, name)}")


def logs(engine: Engine, name: str) -> str:
    result = engine.podman("logs", name, check=False)
    return (result.stdout + result.stderr)[-6000:]


def pid1_uid(engine: Engine, name: str) -> int:
    """The real uid of the container's first process, read from the machine's /proc."""
    pid = engine.podman("inspect", "--format={{.State.Pid}}", name).stdout.strip()
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise EngineUnavailable(f"no Uid line in /proc/{pid}/status")


def require_root() -> None:
    if os.geteuid() != 0:
        raise EngineUnavailable("the container check runs podman as root (rootful, no daemon)")
