"""Requests per second of a rendered service against a bare FastAPI app, side by side.

    uv run python scripts/bench_middleware.py /tmp/render [--rounds 5] [--duration 10]

Both run in the rendered project's environment as `uvicorn --loop uvloop --http httptools
--no-access-log`, one worker each, with the service in production mode (JSON logs at INFO,
PostgreSQL and Redis from TEST_DATABASE_URL / TEST_REDIS_URL). `wrk -t2 -c32` loads one
server at a time; rounds interleave the two (the order alternates) so drift in the machine's
speed hits both, and the report gives the median of the per-round ratios.
Standard library only: the template's own environment needs nothing extra.
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BARE_APP = """
from fastapi import FastAPI

app = FastAPI()


@app.get("/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}
"""

PRODUCTION_ENVIRONMENT = {
    "APP_ENV": "production",
    "SECRET_KEY": "benchmark-secret-key-of-at-least-32-bytes",
    "PHONE_VERIFIER": "twilio",
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "t" * 32,
    "TWILIO_MESSAGING_SERVICE_SID": "MG" + "0" * 32,
    "TWILIO_VERIFY_SERVICE_SID": "VA" + "0" * 32,
    "EMAIL_SENDER": "smtp",
    "REDIS_KEY_PREFIX": "bench:",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start(
    python: Path, target: str, cwd: Path, env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [
        str(python),
        "-m",
        "uvicorn",
        target,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    if target.endswith("create_app"):
        command.append("--factory")
    server = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base_url}/live", timeout=1):  # noqa: S310
                return server, base_url
        except OSError:
            if server.poll() is not None:
                sys.exit(f"{target} stopped during start-up")
            time.sleep(0.1)
    server.kill()
    sys.exit(f"{target} did not start")


def requests_per_second(url: str, duration: int) -> float:
    output = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{duration}s", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if match is None or "Non-2xx" in output:
        sys.exit(f"unexpected wrk output for {url}:\n{output}")
    return float(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="a rendered project with its .venv synced")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--path", default="/live")
    args = parser.parse_args()
    project: Path = args.project.resolve()
    python = project / ".venv" / "bin" / "python"
    database = os.environ.get(
        "TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    )
    redis = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    env = {
        **os.environ,
        **PRODUCTION_ENVIRONMENT,
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "CELERY_BROKER_URL": redis,
    }
    with tempfile.TemporaryDirectory() as bare_dir:
        Path(bare_dir, "bare_app.py").write_text(BARE_APP)
        bare, bare_url = start(python, "bare_app:app", Path(bare_dir), env)
        service, service_url = start(
            python, "app.main:create_app", project, {**env, "PYTHONPATH": str(project)}
        )
        try:
            servers = {"bare": bare_url + args.path, "service": service_url + args.path}
            for url in servers.values():  # warm up: first requests build caches
                requests_per_second(url, 2)
            ratios = []
            for round_number in range(args.rounds):
                order = ["bare", "service"] if round_number % 2 == 0 else ["service", "bare"]
                rps = {name: requests_per_second(servers[name], args.duration) for name in order}
                ratios.append(rps["service"] / rps["bare"])
                print(
                    f"round {round_number + 1}: bare {rps['bare']:.0f} req/s, "
                    f"service {rps['service']:.0f} req/s, ratio {ratios[-1]:.3f}",
                    flush=True,
                )
            print(f"median ratio service/bare on {args.path}: {statistics.median(ratios):.3f}")
        finally:
            for server in (bare, service):
                server.terminate()
                server.wait()


if __name__ == "__main__":
    main()
