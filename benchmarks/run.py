"""Side-by-side benchmark of the rendered service's hot paths, with references started in
the same run, so the numbers to read are ratios rather than absolute times.

    uv run python benchmarks/run.py [--rounds 3 --duration 15 --warmup 5 --connections 32]

It renders the default answers (or takes `--project`, a rendered project with its .venv),
creates a PostgreSQL database and a Redis key prefix of its own, migrates, mints a real
session with the service's own code, and starts, each with the same uvicorn flags
(`--loop uvloop --http httptools --no-access-log`):

- the service with production settings as rendered (fake Twilio credentials, no Sentry
  DSN, rate limits raised so that login and verify measure work, not 429s);
- `benchmarks/driver_app.py`, the authenticated read done with the drivers alone;
- `benchmarks/bare_app.py`, a bare FastAPI `/live`.

It checks that the service and its reference answer the same JSON, then `wrk` drives every
target in interleaved rounds (each round runs each target once, after a warm-up, so drift
of the machine hits all of them alike).

Reading the output: one line per target and round, then the medians over the rounds.
`req/s`, `p50` and `p99` come from wrk; `non-2xx` counts answers outside 2xx/3xx and
`errors` wrk's socket errors (connect, read, write, timeout), both 0 on a healthy read;
`cpu` is the server's user+system CPU time per request (all its processes); `new db
sessions` counts PostgreSQL connections opened to the benchmark's database during the
measured run (0 once a pool is warm). The ratios at the end are the numbers to compare
between versions: ours/driver-only on `GET /users/me`, `GET /users/me/settings`,
`PATCH /users/me`, `GET /features` (with one rollout override stored),
`POST /auth/refresh` (each request a refresh token of its own), `POST /auth/login` (a
number without an account: its code is recorded, never sent) and `POST /auth/verify` (each
request a right code of its own, which signs in): how much the service adds to the bare
drivers doing the same checks and queries (benchmarks/driver_app.py, driver_codes.py).
Refresh tokens and codes are minted into the database before each run. And live/bare on
`/live` (how much its middleware adds to FastAPI). Then p99 ours/reference for each pair in
each round (the tail). Last, the
service's start-up (process start to its first 200 from /ready, started alone: the median
of 5 starts) and its resident memory after the rounds.
Everything it made is removed at the end, also after an error or Ctrl-C.
"""

import argparse
import base64
import hashlib
import hmac
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
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
BENCHMARKS = Path(__file__).resolve().parent
POSTGRES = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}
REDIS_URL = "redis://127.0.0.1:6379/0"
UVICORN_FLAGS = ["--loop", "uvloop", "--http", "httptools", "--no-access-log"]
PHONE = "+14155550100"  # the account the session belongs to
UNKNOWN_PHONE = "+14155550199"  # login codes for it are recorded, never sent
# Raised so that the code flows and refresh measure the work, not the 429 of the limit.
AUTH_RATE_LIMIT = "100000000/minute"
PROFILE_CHANGE = {"display_name": "Bench Reader"}  # what PATCH /users/me sends, every time
MINT_SESSION = """
import asyncio, json
from app.api.state import resources_of
from app.core.config import get_settings
from app.crud.uow import UnitOfWork
from app.main import create_app
from app.services.sessions import SessionService
from app.services.users import UserService

async def main():
    settings = get_settings()
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        resources = resources_of(app)
        async with UnitOfWork(resources.database.session_factory) as uow:
            user = await UserService(uow).create_user(phone_number=PHONE, username="bench")
            sessions = SessionService(uow, resources.accounts, settings, resources.token_state)
            pair = await sessions.start_session(user, user_agent="benchmark", ip="127.0.0.1")
    kid, key = next(iter(settings.jwt_signing_keys.items()))
    print(json.dumps({
        "token": pair.access_token, "user_id": str(user.id), "kid": kid,
        "key": key.get_secret_value(),
        "issuer": settings.jwt_issuer, "audience": settings.jwt_audience,
    }))

asyncio.run(main())
"""
# wrk's Lua, counting the answers' statuses across wrk's threads; then the requests' body.
COUNT_STATUSES = """
local threads = {}
function setup(thread)
  thread:set("first", #threads + 1)
  table.insert(threads, thread)
end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local parts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      table.insert(parts, status .. "=" .. count)
    end
  end
  io.write("statuses: " .. table.concat(parts, " ") .. "\\n")
end
"""
# The same JSON body on every request.
BODY_SCRIPT = """
wrk.method = "{method}"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{body}'
function init(args) statuses = {{}} end
"""
# Each request sends the next body of the file (one JSON body a line, each for one use): the
# threads take turns.
SINGLE_USE_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
function init(args)
  statuses, bodies, index = {{}}, {{}}, first
  for line in io.lines("{bodies}") do bodies[#bodies + 1] = line end
end
function request()
  local body = bodies[index] or '{{}}'  -- past the end: an invalid body, a 422
  index = index + {threads}
  return wrk.format(nil, nil, nil, body)
end
"""
WRK_THREADS = 2
# What single-use targets get minted per second of a run: more than either server serves.
SINGLE_USE_PER_SECOND = 2000
CODE = "123456"  # the code of every minted login verification


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    started: float  # time.monotonic() when the process was started


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    server: Server
    lua: str | None = None  # a wrk script, for requests with a body
    # Called with the run's seconds before each run: what its requests will use up.
    prepare: Callable[[int], None] | None = None


@dataclass(frozen=True)
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    errors: int
    cpu_ms_per_request: float
    new_connections: int
    statuses: Counter[int] = field(default_factory=Counter)  # POSTs only


def main() -> None:
    args = parse_args()
    wrk = find_wrk()
    # Ends the run through the same clean-up as Ctrl-C when the benchmark is killed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("benchmark: terminated"))
    with ExitStack() as cleanup:  # undone in reverse: servers, Redis, database, then files
        scratch = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        project = args.project.resolve() if args.project else render(scratch)
        interpreter = args.python or str(project / ".venv" / "bin" / "python")
        database, prefix = f"bench_{secrets.token_hex(4)}", f"bench-{secrets.token_hex(4)}:"
        create_database(cleanup, database)
        cleanup.callback(remove_redis_keys, interpreter, prefix)
        env = service_env(database, prefix, args.pool_size)
        print(f"benchmark: database {database}, Redis prefix {prefix}, project {project}")
        run([interpreter, "-m", "alembic", "upgrade", "head"], project, env)
        session = mint_session(interpreter, project, env)
        minter = Minter(scratch, database, session["user_id"], env["SECRET_KEY"])
        store_flag_override(database)
        servers, start_ups = start_servers(
            cleanup, scratch, project, interpreter, env, session, args
        )
        for server in servers.values():
            wait_until_listening(server)
        check_same_answers(servers, session["token"], minter)
        targets = chosen(list_targets(servers, scratch, minter), args.only)
        headers = ["-H", f"Authorization: Bearer {session['token']}"]
        results = measure(wrk, targets, headers, args, database)
        report(results, targets, args)
        median, each = statistics.median(start_ups), " ".join(f"{s:.2f}" for s in start_ups)
        print(
            f"start-up: process start to first 200 from /ready: {median:.2f} s"
            f" (median of {len(start_ups)} starts: {each})"
        )
        memory = resident_mb(servers["service"])
        print(f"memory: service resident after the rounds: {memory:.0f} MB")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=15, help="measured seconds per run")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of load before each run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers of the service")
    parser.add_argument("--pool-size", type=int, default=10, help="both apps' database pool")
    parser.add_argument("--project", type=Path, help="a rendered project (skips render + sync)")
    parser.add_argument("--python", help="interpreter with its dependencies (default: its .venv)")
    parser.add_argument(
        "--starts", type=int, default=5, help="service starts timed to their first /ready"
    )
    parser.add_argument("--quick", action="store_true", help="1 round of 1 s: a smoke run")
    parser.add_argument(
        "--only",
        action="append",
        metavar="LABEL",
        help="measure only the ratio lines whose label holds this text (repeatable), e.g. refresh",
    )
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.duration, args.warmup, args.connections = 1, 1, 0, 4
        args.starts = 1
    return args


def find_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        print("benchmark: wrk is not on PATH; trying apt-get install wrk", flush=True)
        sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
        subprocess.run(
            [*sudo, "apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True
        )
        found = shutil.which("wrk")
    if found is None:
        sys.exit("benchmark: wrk is missing; install it (Debian/Ubuntu: apt-get install wrk)")
    return found


def render(scratch: Path) -> Path:
    """The default answers of the committed template, with their own synced .venv."""
    project = scratch / "service"
    copy = ["copier", "copy", "--quiet", "--vcs-ref", "HEAD", "--defaults"]
    print("benchmark: rendering the default answers and syncing them", flush=True)
    run([*copy, str(REPOSITORY), str(project)], REPOSITORY, {})
    run(["uv", "sync", "--quiet"], project, {})  # the render has no uv.lock to be --frozen to
    return project


def run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        command, cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        output = result.stdout[-2000:] + result.stderr[-3000:]
        sys.exit(f"benchmark: {' '.join(command[:4])} failed:\n{output}")
    return result.stdout


def psql(statement: str, database: str = "postgres") -> str:
    server = ["-h", POSTGRES["host"], "-p", POSTGRES["port"], "-U", POSTGRES["user"]]
    return run(["psql", *server, "-d", database, "-tAc", statement], REPOSITORY, {}).strip()


def store_flag_override(database: str) -> None:
    """One run-time override, so that `GET /features` reads and applies one: registration on
    for half of the signed-in users, chosen by the rollout hash."""
    psql(
        "INSERT INTO feature_flag_overrides (id, name, enabled, rollout_percent, allowed_user_ids)"
        " VALUES (gen_random_uuid(), 'registration', true, 50, '[]')",
        database,
    )


def create_database(cleanup: ExitStack, database: str) -> None:
    psql(f"CREATE DATABASE {database}")
    cleanup.callback(psql, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def remove_redis_keys(interpreter: str, prefix: str) -> None:
    script = (
        "import redis,sys; r=redis.Redis.from_url(sys.argv[1]); "
        "keys=list(r.scan_iter(match=sys.argv[2]+'*', count=1000)); keys and r.delete(*keys)"
    )
    subprocess.run([interpreter, "-c", script, REDIS_URL, prefix], check=True)


def service_env(database: str, prefix: str, pool_size: int) -> dict[str, str]:
    """Production settings as rendered, with fake third-party credentials and no Sentry."""
    return {
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "METRICS_TOKEN": secrets.token_urlsafe(32),
        # A local server: production settings require the TLS choice to be explicit.
        "DATABASE_URL": f"postgresql+asyncpg://{postgres_address(database)}?ssl=disable",
        "DATABASE_POOL_SIZE": str(pool_size),
        "REDIS_URL": REDIS_URL,
        "REDIS_KEY_PREFIX": prefix,
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_QUEUE_PREFIX": prefix,  # any queued task lands under the prefix, removed too
        "PHONE_VERIFIER": "twilio",
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_AUTH_TOKEN": "t" * 32,
        "TWILIO_MESSAGING_SERVICE_SID": "MG" + "0" * 32,
        "TWILIO_VERIFY_SERVICE_SID": "VA" + "0" * 32,
        "EMAIL_SENDER": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SENTRY_DSN": "",
        # Raised so that login and verify measure the work, not the 429 of a limit.
        "AUTH_RATE_LIMIT_PER_IP": AUTH_RATE_LIMIT,
        "VERIFICATION_SENDS_PER_CLIENT": "100000000/hour",
        "VERIFICATION_SENDS_PER_NUMBER": "100000000/hour",
        "VERIFICATION_RESEND_COOLDOWN_SECONDS": "0",
        "SMS_ALLOWED_REGIONS": "US",
        "SMS_BUDGET_PER_CLIENT_PER_HOUR": "100000000",
        "SMS_BUDGET_PER_PREFIX_PER_HOUR": "100000000",
        "SMS_BUDGET_PER_COUNTRY_PER_HOUR": "100000000",
        "SMS_BUDGET_GLOBAL_PER_HOUR": "100000000",
    }


def postgres_address(database: str) -> str:
    return f"{POSTGRES['user']}@{POSTGRES['host']}:{POSTGRES['port']}/{database}"


def mint_session(interpreter: str, project: Path, env: dict[str, str]) -> dict[str, str]:
    """A user and an access token made by the service's own services, and the key behind it."""
    output = run([interpreter, "-c", MINT_SESSION.replace("PHONE", repr(PHONE))], project, env)
    session: dict[str, str] = json.loads(output.splitlines()[-1])  # after the service's logs
    return session


def driver_env(
    service: dict[str, str], database: str, session: dict[str, str], pool_size: int
) -> dict[str, str]:
    """The references' configuration: the service's keys and limits (driver_shared.py)."""
    return {
        "BENCH_JWT_KID": session["kid"],
        "BENCH_JWT_KEY": session["key"],
        "BENCH_JWT_AUDIENCE": session["audience"],
        "BENCH_JWT_ISSUER": session["issuer"],
        "BENCH_REDIS_PREFIX": service["REDIS_KEY_PREFIX"],
        "BENCH_REDIS_URL": REDIS_URL,
        "BENCH_POSTGRES_DSN": f"postgresql://{postgres_address(database)}",
        "BENCH_POOL_SIZE": str(pool_size),
        "BENCH_AUTH_RATE_LIMIT": service["AUTH_RATE_LIMIT_PER_IP"],
        "BENCH_SECRET_KEY": service["SECRET_KEY"],
        "BENCH_SMS_ALLOWED_REGIONS": service["SMS_ALLOWED_REGIONS"],
        "BENCH_SMS_BUDGET_PER_HOUR": service["SMS_BUDGET_GLOBAL_PER_HOUR"],
        "BENCH_SENDS_PER_CLIENT": service["VERIFICATION_SENDS_PER_CLIENT"],
        "BENCH_SENDS_PER_NUMBER": service["VERIFICATION_SENDS_PER_NUMBER"],
    }


def start_servers(
    cleanup: ExitStack,
    scratch: Path,
    project: Path,
    interpreter: str,
    env: dict[str, str],
    session: dict[str, str],
    args: argparse.Namespace,
) -> tuple[dict[str, Server], list[float]]:
    """The service and the two references, all run by the rendered project's interpreter,
    and the service's start-up times (`--starts` of them, measured before the references
    start beside it; the last start is the service that is measured)."""
    database = env["DATABASE_URL"].rsplit("/", 1)[1].split("?", 1)[0]
    driver = driver_env(env, database, session, args.pool_size)
    references = ["--app-dir", str(BENCHMARKS)]
    service_app = ["app.main:create_app", "--factory", "--workers", str(args.workers)]
    launch = partial(start, cleanup, scratch, project, interpreter)
    start_ups = []
    for _ in range(args.starts - 1):
        with ExitStack() as stopped_after:
            alone = start(stopped_after, scratch, project, interpreter, "service", env, service_app)
            start_ups.append(seconds_to_ready(alone))
    service = launch("service", env, service_app)
    start_ups.append(seconds_to_ready(service))
    servers = {
        "service": service,
        "driver": launch("driver", driver, ["driver_app:app", *references]),
        "bare": launch("bare", {}, ["bare_app:app", *references]),
    }
    return servers, start_ups


def start(
    cleanup: ExitStack,
    scratch: Path,
    project: Path,
    interpreter: str,
    name: str,
    env: dict[str, str],
    options: list[str],
) -> Server:
    port = free_port()
    command = [interpreter, "-m", "uvicorn", *options, *UVICORN_FLAGS, "--port", str(port)]
    started = time.monotonic()
    # A file, not a pipe: a server writing more than a pipe holds would block mid-run.
    log = scratch / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=project, env={**os.environ, **env}, stdout=output, stderr=output
        )
    cleanup.callback(stop, process)
    return Server(name, port, process, log, started)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


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
            sys.exit(f"benchmark: {server.name} exited at start-up:\n{log_tail(server)}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", server.port)) == 0:
                return
        time.sleep(0.2)
    sys.exit(f"benchmark: {server.name} did not listen within 60 s:\n{log_tail(server)}")


def seconds_to_ready(server: Server) -> float:
    """From the service's process start to its first 200 from /ready: what a scale-up or a
    crash-loop waits on each pod (imports, settings, pools, migrations checked)."""
    deadline = server.started + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            sys.exit(f"benchmark: {server.name} exited at start-up:\n{log_tail(server)}")
        try:
            with urllib.request.urlopen(f"{url(server)}/ready", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return time.monotonic() - server.started
        except OSError:  # not listening yet, or a 503 while it starts (HTTPError is an OSError)
            pass
        time.sleep(0.01)
    sys.exit(f"benchmark: {server.name} was not ready within 60 s:\n{log_tail(server)}")


def log_tail(server: Server) -> str:
    return server.log.read_text(errors="replace")[-3000:]


def check_same_answers(servers: dict[str, Server], token: str, minter: "Minter") -> None:
    """A reference only means something if it answers what the service answers."""
    service, driver, bare = (url(servers[name]) for name in ("service", "driver", "bare"))
    pairs = [
        ("GET", f"{service}/api/v1/users/me", f"{driver}/users/me", None),
        ("GET", f"{service}/live", f"{bare}/live", None),
        ("GET", f"{service}/api/v1/users/me/settings", f"{driver}/users/me/settings", None),
        ("PATCH", f"{service}/api/v1/users/me", f"{driver}/users/me", PROFILE_CHANGE),
        ("GET", f"{service}/api/v1/features", f"{driver}/features", None),
    ]
    for method, ours, reference, body in pairs:
        ours_json = call_json(method, ours, token, body)
        reference_json = call_json(method, reference, token, body)
        if ours_json != reference_json:
            sys.exit(
                f"benchmark: {method} {ours} and {reference} answer differently:\n"
                f"  {ours_json}\n  {reference_json}"
            )
    for path, mint in (
        ("/auth/refresh", minter.refresh_tokens),
        ("/auth/verify", minter.login_codes),
    ):
        ours_body, reference_body = mint(2)
        ours_pair = call_json("POST", f"{service}/api/v1{path}", token, ours_body)
        reference_pair = call_json("POST", f"{driver}{path}", token, reference_body)
        if pair_shape(ours_pair) != pair_shape(reference_pair):
            sys.exit(f"benchmark: {path} answers differently:\n  {ours_pair}\n  {reference_pair}")
    login = {"phone_number": UNKNOWN_PHONE}
    ours_sent = call_json("POST", f"{service}/api/v1/auth/login", token, login)
    reference_sent = call_json("POST", f"{driver}/auth/login", token, login)
    if challenge_shape(ours_sent) != challenge_shape(reference_sent):
        sys.exit(f"benchmark: /auth/login answers differently:\n  {ours_sent}\n  {reference_sent}")


def challenge_shape(sent: dict[str, str]) -> dict[str, Any]:
    """A code-sent answer with its challenge (new each time) replaced by its length."""
    return {**sent, "challenge": len(sent["challenge"])}


def pair_shape(pair: dict[str, Any]) -> dict[str, Any]:
    """A token pair with its new secrets replaced by what stays the same between two: the
    access token's claims and header, the opaque token's length."""
    header = jwt_part(pair["access_token"], 0)
    claims = jwt_part(pair["access_token"], 1)
    return {
        **pair,
        "access_token": (header, sorted(claims), claims["type"], claims["exp"] - claims["nbf"]),
        "refresh_token": len(pair["refresh_token"]),
    }


def jwt_part(token: str, index: int) -> dict[str, Any]:
    part = token.split(".")[index]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def call_json(method: str, address: str, token: str, body: dict[str, str] | None) -> Any:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    data = None if body is None else json.dumps(body).encode()
    # Only the http://127.0.0.1 addresses of the servers this script started.
    request = urllib.request.Request(address, data, headers, method=method)  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        return json.load(answer)


# The ratio lines at the end: (label, the service's target, its reference's target).
RATIOS = (
    ("ours/driver-only on /users/me:", "service /api/v1/users/me", "driver-only /users/me"),
    ("live/bare on /live:", "service /live", "bare /live"),
    (
        "ours/driver-only on /users/me/settings:",
        "service /api/v1/users/me/settings",
        "driver-only /users/me/settings",
    ),
    (
        "ours/driver-only on PATCH /users/me:",
        "service PATCH /api/v1/users/me",
        "driver-only PATCH /users/me",
    ),
    ("ours/driver-only on /features:", "service /api/v1/features", "driver-only /features"),
    (
        "ours/driver-only on POST /auth/refresh:",
        "service POST /auth/refresh",
        "driver-only POST /auth/refresh",
    ),
    (
        "ours/driver-only on POST /auth/login:",
        "service POST /auth/login",
        "driver-only POST /auth/login",
    ),
    (
        "ours/driver-only on POST /auth/verify:",
        "service POST /auth/verify",
        "driver-only POST /auth/verify",
    ),
)


def list_targets(servers: dict[str, Server], scratch: Path, minter: "Minter") -> list[Target]:
    """The order of a round: each path beside its reference, then the paths without one."""
    service, driver, bare = servers["service"], servers["driver"], servers["bare"]
    api, reference = f"{url(service)}/api/v1", url(driver)
    rename = body_script(scratch, "rename", "PATCH", PROFILE_CHANGE)
    login = body_script(scratch, "login", "POST", {"phone_number": UNKNOWN_PHONE})

    def single_use(
        name: str, server: Server, mint: Callable[[int], list[dict[str, str]]]
    ) -> tuple[str, Callable[[int], None]]:
        bodies = SingleUse(scratch / f"{name}-{server.name}.bodies", mint)
        return bodies.script(), bodies.prepare

    return [
        Target("service /api/v1/users/me", f"{api}/users/me", service),
        Target("driver-only /users/me", f"{reference}/users/me", driver),
        Target("service /live", f"{url(service)}/live", service),
        Target("bare /live", f"{url(bare)}/live", bare),
        Target("service /api/v1/users/me/settings", f"{api}/users/me/settings", service),
        Target("driver-only /users/me/settings", f"{reference}/users/me/settings", driver),
        Target("service PATCH /api/v1/users/me", f"{api}/users/me", service, rename),
        Target("driver-only PATCH /users/me", f"{reference}/users/me", driver, rename),
        Target("service /api/v1/features", f"{api}/features", service),
        Target("driver-only /features", f"{reference}/features", driver),
        Target(
            "service POST /auth/refresh",
            f"{api}/auth/refresh",
            service,
            *single_use("refresh", service, minter.refresh_tokens),
        ),
        Target(
            "driver-only POST /auth/refresh",
            f"{reference}/auth/refresh",
            driver,
            *single_use("refresh", driver, minter.refresh_tokens),
        ),
        Target("service POST /auth/login", f"{api}/auth/login", service, login),
        Target("driver-only POST /auth/login", f"{reference}/auth/login", driver, login),
        Target(
            "service POST /auth/verify",
            f"{api}/auth/verify",
            service,
            *single_use("verify", service, minter.login_codes),
        ),
        Target(
            "driver-only POST /auth/verify",
            f"{reference}/auth/verify",
            driver,
            *single_use("verify", driver, minter.login_codes),
        ),
    ]


def chosen(targets: list[Target], only: list[str] | None) -> list[Target]:
    """The targets of the ratio lines --only names, each beside its reference; all without it."""
    if not only:
        return targets
    lines = [pair for label, *pair in RATIOS if any(text in label for text in only)]
    names = {name for pair in lines for name in pair}
    if not names:
        sys.exit(f"benchmark: no ratio line holds {only}; the lines are in RATIOS")
    return [target for target in targets if target.name in names]


def body_script(folder: Path, name: str, method: str, body: dict[str, str]) -> str:
    path = folder / f"{name}.lua"
    path.write_text(BODY_SCRIPT.format(method=method, body=json.dumps(body)) + COUNT_STATUSES)
    return str(path)


@dataclass(frozen=True)
class SingleUse:
    """Requests that each use something up: before each run, the run's worth is minted and
    written one body a line, which SINGLE_USE_SCRIPT sends once each."""

    bodies: Path
    mint: Callable[[int], list[dict[str, str]]]

    def script(self) -> str:
        path = self.bodies.with_suffix(".lua")
        script = SINGLE_USE_SCRIPT.format(bodies=self.bodies, threads=WRK_THREADS)
        path.write_text(script + COUNT_STATUSES)
        return str(path)

    def prepare(self, seconds: int) -> None:
        bodies = self.mint(max(1, seconds) * SINGLE_USE_PER_SECOND)
        self.bodies.write_text("".join(json.dumps(body) + "\n" for body in bodies))


@dataclass(frozen=True)
class Minter:
    """Stores what single-use requests use up, for the benchmark's user, as the service stores
    it: refresh tokens of sessions of their own (their SHA-256), and login verifications of
    PHONE with the code CODE (its HMAC) and their challenges."""

    folder: Path
    database: str
    user_id: str
    secret_key: str

    def refresh_tokens(self, count: int) -> list[dict[str, str]]:
        tokens = [secrets.token_urlsafe(32) for _ in range(count)]
        expires = (datetime.now(UTC) + timedelta(days=7)).isoformat()
        rows = (
            (uuid.uuid4(), self.user_id, hashlib.sha256(token.encode()).hexdigest(), uuid.uuid4())
            for token in tokens
        )
        self._copy(
            "refresh_tokens (id, user_id, token_hash, family_id, expires_at)",
            (
                f"{id_},{user},{token_hash},{family},{expires}"
                for id_, user, token_hash, family in rows
            ),
        )
        return [{"refresh_token": token} for token in tokens]

    def login_codes(self, count: int) -> list[dict[str, str]]:
        """As app.services.verification stores a code and names its verification."""
        code_key = self._derived_key(b"verification-code")
        challenge_key = self._derived_key(b"verification-challenge")
        now = datetime.now(UTC)
        expires = (now + timedelta(minutes=10)).isoformat()
        code_hash = hmac.new(code_key, f"login:{PHONE}:{CODE}".encode(), hashlib.sha256)
        ids = [uuid.uuid4() for _ in range(count)]
        self._copy(
            "authentications (id, purpose, channel, target, code_hash, max_attempts,"
            " expires_at, last_sent_at, provider, user_id)",
            (
                f"{id_},login,sms,{PHONE},{code_hash.hexdigest()},5,{expires},{now.isoformat()},"
                f"twilio,{self.user_id}"
                for id_ in ids
            ),
        )
        return [
            {"phone_number": PHONE, "challenge": challenge(challenge_key, id_), "code": CODE}
            for id_ in ids
        ]

    def _derived_key(self, purpose: bytes) -> bytes:
        return hmac.new(self.secret_key.encode(), purpose, hashlib.sha256).digest()

    def _copy(self, table: str, lines: Iterable[str]) -> None:
        rows = self.folder / "rows.csv"
        rows.write_text("".join(line + "\n" for line in lines))
        psql(rf"\copy {table} FROM '{rows}' CSV", self.database)


def challenge(key: bytes, verification_id: uuid.UUID) -> str:
    raw_id = verification_id.bytes
    mac = hmac.new(key, raw_id, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(raw_id + mac).rstrip(b"=").decode()


def measure(
    wrk: str, targets: list[Target], headers: list[str], args: argparse.Namespace, database: str
) -> dict[str, list[Result]]:
    """Interleaved: each round runs every target once, so drift hits all of them alike."""
    results: dict[str, list[Result]] = {target.name: [] for target in targets}
    for number in range(1, args.rounds + 1):
        for target in targets:
            if args.warmup:
                if target.prepare:
                    target.prepare(args.warmup)
                wrk_run(wrk, target, headers, args.connections, args.warmup)
            if target.prepare:
                target.prepare(args.duration)
            result = measured_run(wrk, target, headers, args.connections, args.duration, database)
            results[target.name].append(result)
            print(f"round {number}  {target.name:<28} {row(result)}", flush=True)
    return results


def measured_run(
    wrk: str, target: Target, headers: list[str], connections: int, seconds: int, database: str
) -> Result:
    cpu_before, sessions_before = server_cpu_seconds(target.server), database_sessions(database)
    output = wrk_run(wrk, target, headers, connections, seconds)
    cpu = server_cpu_seconds(target.server) - cpu_before
    sessions = database_sessions(database) - sessions_before
    if target.server.process.poll() is not None:
        sys.exit(f"benchmark: {target.server.name} died during the run:\n{log_tail(target.server)}")
    return parse_wrk(output, cpu, sessions)


def wrk_run(wrk: str, target: Target, headers: list[str], connections: int, seconds: int) -> str:
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *headers]
    if target.lua:
        command += ["-s", target.lua]
    result = subprocess.run([*command, target.url], capture_output=True, text=True, check=False)
    if result.returncode != 0 or "requests in" not in result.stdout:
        sys.exit(f"benchmark: wrk failed on {target.name}:\n{result.stdout}{result.stderr}")
    return result.stdout


def server_cpu_seconds(server: Server) -> float:
    """User and system CPU time of the server and every process under it (uvicorn workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    # utime + stime, after the command name (in parentheses, it may hold spaces)
    return sum(
        (int(fields[11]) + int(fields[12])) / ticks for fields in process_family_stats(server)
    )


def resident_mb(server: Server) -> float:
    """Resident memory of the server and every process under it."""
    page_mb = os.sysconf("SC_PAGE_SIZE") / 2**20
    return sum(int(fields[21]) * page_mb for fields in process_family_stats(server))  # rss


def process_family_stats(server: Server) -> list[list[str]]:
    """/proc/PID/stat of the server and of every process under it, the fields after the
    command name (so the parent is [1])."""
    stats: dict[int, list[str]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:  # the command name, in parentheses, may hold spaces: split after it
            stats[int(stat.parent.name)] = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
    family, grew = {server.process.pid}, True
    while grew:
        children = {pid for pid, fields in stats.items() if int(fields[1]) in family} - family
        family, grew = family | children, bool(children)
    return [stats[pid] for pid in family if pid in stats]


def database_sessions(database: str) -> int:
    """Sessions PostgreSQL has opened to the database so far (pg_stat_database, 14+).

    A counter of backend starts, so the difference across a run counts every connection
    opened during it, also those closed again before the run ended (pool overflow,
    recycling), which comparing pg_stat_activity before and after would miss; numbackends
    is a level, not a count. A new backend reports its start when it first goes idle, so a
    connection opened in the run's last instant may be counted in the next run instead.
    """
    # `database` is the name main() generated (bench_ and hex digits), not outside input.
    query = f"SELECT sessions FROM pg_stat_database WHERE datname = '{database}'"  # noqa: S608
    return int(psql(query) or 0)


LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def parse_wrk(output: str, cpu: float, new_connections: int) -> Result:
    latencies = {
        percent: float(value) * UNITS[unit] for percent, value, unit in LATENCY.findall(output)
    }
    requests = int(number(r"(\d+) requests in", output))
    socket_errors = SOCKET_ERRORS.search(output)
    statuses: Counter[int] = Counter()
    for status, count in re.findall(r"(\d{3})=(\d+)", number(r"statuses:(.*)", output, "")):
        statuses[int(status)] += int(count)
    return Result(
        requests_per_second=float(number(r"Requests/sec:\s+([\d.]+)", output)),
        p50_ms=latencies["50"],
        p99_ms=latencies["99"],
        non_2xx=int(number(r"Non-2xx or 3xx responses: (\d+)", output, "0")),
        errors=sum(int(count) for count in socket_errors.groups()) if socket_errors else 0,
        cpu_ms_per_request=1000 * cpu / requests if requests else float("nan"),
        new_connections=new_connections,
        statuses=statuses,
    )


def number(pattern: str, output: str, default: str | None = None) -> str:
    found = re.search(pattern, output)
    if found is None and default is None:
        sys.exit(f"benchmark: no {pattern!r} in wrk's output:\n{output}")
    return found.group(1) if found else str(default)


def row(result: Result) -> str:
    line = (
        f"{result.requests_per_second:9.1f} req/s  p50 {result.p50_ms:7.2f} ms  "
        f"p99 {result.p99_ms:7.2f} ms  non-2xx {result.non_2xx:6d}  errors {result.errors:4d}  "
        f"cpu {result.cpu_ms_per_request:5.2f} ms/req  new db sessions {result.new_connections}"
    )
    if result.statuses:
        line += "  statuses " + " ".join(f"{s}:{n}" for s, n in sorted(result.statuses.items()))
    return line


def median(results: list[Result]) -> Result:
    """The median of each number; the statuses of all rounds together."""
    numbers = {
        # Counts stay whole numbers: the lower median is one of the rounds' own counts.
        item.name: (statistics.median_low if item.type is int else statistics.median)(
            [getattr(result, item.name) for result in results]
        )
        for item in fields(Result)
        if item.name != "statuses"
    }
    return Result(**numbers, statuses=sum((result.statuses for result in results), Counter()))


def report(
    results: dict[str, list[Result]], targets: list[Target], args: argparse.Namespace
) -> None:
    print(
        f"\nmedians of {args.rounds} round(s) of {args.duration} s, {args.connections} connections,"
        f" {args.workers} service worker(s); login is for a number without an account, verify"
        " signs in with a right code; statuses summed over the rounds"
    )
    medians = {name: median(runs) for name, runs in results.items()}
    for target in targets:
        print(f"  {target.name:<34} {row(medians[target.name])}")
    print()
    measured = [line for line in RATIOS if line[1] in medians]
    for label, ours, reference in measured:
        ratio = medians[ours].requests_per_second / medians[reference].requests_per_second
        print(f"{label:<40} {ratio:.2f}")
    print("\np99 ours/reference in each round (the tail: lower is better, 1.00 = the same)")
    for label, ours, reference in measured:
        pairs = zip(results[ours], results[reference], strict=True)
        print(f"  {label:<40} " + " ".join(f"{o.p99_ms / r.p99_ms:.2f}" for o, r in pairs))


if __name__ == "__main__":
    main()
