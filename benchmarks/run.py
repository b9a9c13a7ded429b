"""Side-by-side benchmark of the rendered service's hot paths, with references started in
the same run, so the numbers to read are ratios rather than absolute times.

    uv run python benchmarks/run.py [--rounds 3 --duration 15 --warmup 5 --connections 32]

It renders the default answers (or takes `--project`, a rendered project with its .venv),
creates a database and a Redis key prefix of its own, migrates, mints a real session with
the service's own code, and starts, each as one uvicorn process (`--loop uvloop --http
httptools --no-access-log`):

- the service with production settings (fake Twilio credentials, no Sentry DSN);
- `benchmarks/driver_app.py`, the authenticated read done with the drivers alone;
- `benchmarks/bare_app.py`, a bare FastAPI `/live`.

Then `wrk` drives them in interleaved rounds and this prints, per round and as medians:
requests per second, p50, p99, non-2xx answers, server CPU per request, and new PostgreSQL
sessions during the run; the ratios ours/driver-only on `/users/me` and live/bare on `/live`;
and, for scale, `POST /auth/login` and `/auth/verify` with the rate limits raised. Everything
it made is removed at the end, also after an error or Ctrl-C.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
BENCHMARKS = Path(__file__).resolve().parent
POSTGRES = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}
REDIS_URL = "redis://127.0.0.1:6379/0"
UVICORN_FLAGS = ["--loop", "uvloop", "--http", "httptools", "--no-access-log"]
PHONE = "+14155550100"  # the account the session belongs to
UNKNOWN_PHONE = "+14155550199"  # login codes for it are recorded, never sent
MINT_SESSION = """
import asyncio, json
from app.core.business_metrics import NO_BUSINESS_METRICS
from app.core.config import get_settings
from app.core.resources import open_resources
from app.db.uow import UnitOfWork
from app.services.sessions import SessionService
from app.services.users import UserService

async def main():
    settings = get_settings()
    async with open_resources(settings, business_metrics=NO_BUSINESS_METRICS) as resources:
        async with UnitOfWork(resources.database.session_factory) as uow:
            user = await UserService(uow).create_user(phone_number=PHONE, username="bench")
            sessions = SessionService(uow, settings, resources.token_state)
            pair = await sessions.start_session(user, user_agent="benchmark", ip="127.0.0.1")
    kid, key = next(iter(settings.jwt_signing_keys.items()))
    print(json.dumps({
        "token": pair.access_token, "kid": kid, "key": key.get_secret_value(),
        "issuer": settings.jwt_issuer, "audience": settings.jwt_audience,
    }))

asyncio.run(main())
"""


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    server: "Server"
    lua: str | None = None  # a wrk script, for POSTs


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]


@dataclass(frozen=True)
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    cpu_ms_per_request: float
    new_connections: int


def main() -> None:
    args = parse_args()
    wrk = find_wrk()
    with ExitStack() as cleanup:
        # Entered first, so removed last: the servers run from it until they are stopped.
        scratch = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="bench-"))
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
        project = args.project or render(Path(scratch))
        interpreter = args.python or str(project / ".venv" / "bin" / "python")
        database = f"bench_{secrets.token_hex(4)}"
        psql(f"CREATE DATABASE {database}")
        cleanup.callback(psql, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        prefix = f"bench-{secrets.token_hex(4)}:"
        cleanup.callback(remove_redis_keys, interpreter, prefix)
        env = service_env(database, prefix, args.pool_size)
        run([interpreter, "-m", "alembic", "upgrade", "head"], project, env)
        minted = run([interpreter, "-c", MINT_SESSION.replace("PHONE", repr(PHONE))], project, env)
        session = json.loads(minted.splitlines()[-1])  # after the service's own log lines
        headers = ["-H", f"Authorization: Bearer {session['token']}"]
        servers = {
            "service": start(
                cleanup,
                project,
                interpreter,
                env,
                "app.main:create_app",
                "--factory",
                "--workers",
                str(args.workers),
            ),
            "driver": start(
                cleanup,
                project,
                interpreter,
                driver_env(database, prefix, session, args.pool_size),
                "driver_app:app",
                "--app-dir",
                str(BENCHMARKS),
            ),
            "bare": start(
                cleanup, project, interpreter, {}, "bare_app:app", "--app-dir", str(BENCHMARKS)
            ),
        }
        scripts = Path(scratch)
        targets = [
            Target(
                "service /api/v1/users/me",
                f"{url(servers['service'])}/api/v1/users/me",
                servers["service"],
            ),
            Target(
                "driver-only /users/me", f"{url(servers['driver'])}/users/me", servers["driver"]
            ),
            Target("service /live", f"{url(servers['service'])}/live", servers["service"]),
            Target("bare /live", f"{url(servers['bare'])}/live", servers["bare"]),
        ]
        posts = [
            Target(
                "service POST /auth/login",
                f"{url(servers['service'])}/api/v1/auth/login",
                servers["service"],
                post_script(scripts, "login", {"phone_number": UNKNOWN_PHONE}),
            ),
            Target(
                "service POST /auth/verify",
                f"{url(servers['service'])}/api/v1/auth/verify",
                servers["service"],
                post_script(scripts, "verify", {"phone_number": PHONE, "code": "000000"}),
            ),
        ]
        for server in servers.values():
            wait_until_listening(server)
        results = measure(wrk, targets + posts, headers, args, database)
        report(results, targets + posts, args)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=15, help="measured seconds per run")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of load before each run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers of the service")
    parser.add_argument("--pool-size", type=int, default=10, help="both apps' database pool")
    parser.add_argument("--project", type=Path, help="a rendered project with its .venv")
    parser.add_argument("--python", help="the interpreter to run it with (default: its .venv)")
    parser.add_argument("--quick", action="store_true", help="1 round of 1 s: a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.duration, args.warmup, args.connections = 1, 1, 0, 4
    return args


def find_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run(
            [*sudo, "apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True
        )
        found = shutil.which("wrk")
    if found is None:
        sys.exit("benchmark: wrk is missing; install it (Debian: apt-get install wrk)")
    return found


def render(scratch: Path) -> Path:
    project = scratch / "service"
    run(
        [
            "copier",
            "copy",
            "--quiet",
            "--vcs-ref",
            "HEAD",
            "--defaults",
            str(REPOSITORY),
            str(project),
        ],
        REPOSITORY,
        {},
    )
    run(["uv", "sync", "--quiet"], project, {})
    return project


def run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        command, cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        output = result.stdout[-2000:] + result.stderr[-3000:]
        sys.exit(f"benchmark: {' '.join(command[:4])} failed:\n{output}")
    return result.stdout


def psql(statement: str) -> str:
    return run(
        [
            "psql",
            "-h",
            POSTGRES["host"],
            "-p",
            POSTGRES["port"],
            "-U",
            POSTGRES["user"],
            "-d",
            "postgres",
            "-tAc",
            statement,
        ],
        REPOSITORY,
        {},
    ).strip()


def remove_redis_keys(interpreter: str, prefix: str) -> None:
    script = (
        "import redis,sys; r=redis.Redis.from_url(sys.argv[1]); "
        "keys=list(r.scan_iter(match=sys.argv[2]+'*')); keys and r.delete(*keys)"
    )
    subprocess.run([interpreter, "-c", script, REDIS_URL, prefix], check=False)


def service_env(database: str, prefix: str, pool_size: int) -> dict[str, str]:
    """Production settings as rendered, with fake third-party credentials and no Sentry."""
    return {
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": f"postgresql+asyncpg://{POSTGRES['user']}@{POSTGRES['host']}:{POSTGRES['port']}/{database}",
        "DATABASE_POOL_SIZE": str(pool_size),
        "REDIS_URL": REDIS_URL,
        "REDIS_KEY_PREFIX": prefix,
        "CELERY_BROKER_URL": REDIS_URL,
        "PHONE_VERIFIER": "twilio",
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_AUTH_TOKEN": "t" * 32,
        "TWILIO_MESSAGING_SERVICE_SID": "MG" + "0" * 32,
        "TWILIO_VERIFY_SERVICE_SID": "VA" + "0" * 32,
        "EMAIL_SENDER": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SENTRY_DSN": "",
        # Raised so that login and verify measure the work, not the 429 of a limit.
        "AUTH_RATE_LIMIT_PER_IP": "100000000/minute",
        "VERIFICATION_SENDS_PER_HOUR": "100000000",
        "VERIFICATION_RESEND_COOLDOWN_SECONDS": "0",
    }


def driver_env(
    database: str, prefix: str, session: dict[str, str], pool_size: int
) -> dict[str, str]:
    return {
        "BENCH_JWT_KID": session["kid"],
        "BENCH_JWT_KEY": session["key"],
        "BENCH_JWT_AUDIENCE": session["audience"],
        "BENCH_JWT_ISSUER": session["issuer"],
        "BENCH_REDIS_PREFIX": prefix,
        "BENCH_REDIS_URL": REDIS_URL,
        "BENCH_POSTGRES_DSN": f"postgresql://{POSTGRES['user']}@{POSTGRES['host']}:{POSTGRES['port']}/{database}",
        "BENCH_POOL_SIZE": str(pool_size),
    }


def start(
    cleanup: ExitStack,
    project: Path,
    interpreter: str,
    env: dict[str, str],
    app: str,
    *options: str,
) -> Server:
    port = free_port()
    command = [
        interpreter,
        "-m",
        "uvicorn",
        app,
        *options,
        *UVICORN_FLAGS,
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(
        command,
        cwd=project,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    cleanup.callback(stop, process)
    return Server(app, port, process)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def url(server: Server) -> str:
    return f"http://127.0.0.1:{server.port}"


def wait_until_listening(server: Server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            error = server.process.stderr.read().decode() if server.process.stderr else ""
            sys.exit(f"benchmark: {server.name} exited at start-up:\n{error[-3000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", server.port)) == 0:
                return
        time.sleep(0.2)
    sys.exit(f"benchmark: {server.name} did not listen within 60 s")


def post_script(folder: Path, name: str, body: dict[str, str]) -> str:
    path = folder / f"{name}.lua"
    path.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = '{json.dumps(body)}'\n"
    )
    return str(path)


def measure(
    wrk: str, targets: list[Target], headers: list[str], args: argparse.Namespace, database: str
) -> dict[str, list[Result]]:
    """Interleaved: each round runs every target once, so drift hits all of them alike."""
    results: dict[str, list[Result]] = {target.name: [] for target in targets}
    for number in range(1, args.rounds + 1):
        for target in targets:
            if args.warmup:
                wrk_run(wrk, target, headers, args.connections, args.warmup)
            cpu, sessions = cpu_seconds(target.server.process.pid), database_sessions(database)
            output = wrk_run(wrk, target, headers, args.connections, args.duration)
            cpu, sessions = (
                cpu_seconds(target.server.process.pid) - cpu,
                database_sessions(database) - sessions,
            )
            result = replace(parse_wrk(output, cpu), new_connections=sessions)
            results[target.name].append(result)
            print(f"round {number}  {target.name:<28} {row(result)}", flush=True)
    return results


def wrk_run(wrk: str, target: Target, headers: list[str], connections: int, seconds: int) -> str:
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *headers]
    if target.lua:
        command += ["-s", target.lua]
    return subprocess.run([*command, target.url], capture_output=True, text=True, check=True).stdout


def cpu_seconds(pid: int) -> float:
    """User and system CPU of the server and its worker processes."""
    total, ticks = 0.0, os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def database_sessions(database: str) -> int:
    """Sessions PostgreSQL has opened for the database so far (pg_stat_database, 14+)."""
    # `database` is the name main() generated (bench_ and hex digits), not outside input.
    query = f"SELECT sessions FROM pg_stat_database WHERE datname = '{database}'"  # noqa: S608
    return int(psql(query) or 0)


LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(output: str, cpu: float) -> Result:
    latencies = {
        percent: float(value) * UNITS[unit] for percent, value, unit in LATENCY.findall(output)
    }
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Result(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        p50_ms=latencies["50"],
        p99_ms=latencies["99"],
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        cpu_ms_per_request=1000 * cpu / requests if requests else float("nan"),
        new_connections=0,
    )


def row(result: Result) -> str:
    return (
        f"{result.requests_per_second:9.1f} req/s  p50 {result.p50_ms:7.2f} ms  "
        f"p99 {result.p99_ms:7.2f} ms  non-2xx {result.non_2xx:6d}  "
        f"cpu {result.cpu_ms_per_request:5.2f} ms/req  new db sessions {result.new_connections}"
    )


def median(results: list[Result]) -> Result:
    return Result(
        **{
            field: statistics.median(getattr(r, field) for r in results)
            for field in Result.__dataclass_fields__
        }
    )


def report(
    results: dict[str, list[Result]], targets: list[Target], args: argparse.Namespace
) -> None:
    print(
        f"\nmedians of {args.rounds} round(s) of {args.duration} s, {args.connections} connections,"
        f" {args.workers} service worker(s); verify sends a wrong code (its 400s are non-2xx)"
    )
    medians = {name: median(runs) for name, runs in results.items()}
    for target in targets:
        print(f"  {target.name:<34} {row(medians[target.name])}")
    ours, driver = medians[targets[0].name], medians[targets[1].name]
    live, bare = medians[targets[2].name], medians[targets[3].name]
    read_ratio = ours.requests_per_second / driver.requests_per_second
    live_ratio = live.requests_per_second / bare.requests_per_second
    print(f"\nours/driver-only on /users/me: {read_ratio:.2f}")
    print(f"live/bare on /live:            {live_ratio:.2f}")


if __name__ == "__main__":
    main()
