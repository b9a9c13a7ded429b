"""Runs rendered suites and docs builds in forks of one process that has imported their
libraries already.

Every rendered suite imports the same libraries from the shared environment (FastAPI,
SQLAlchemy, pydantic, Celery, the Twilio SDK...): about two seconds of each suite's start-up;
every docs build imports MkDocs, its theme and plugins. This server, started once per xdist
worker with the environment's interpreter (`python -P`, stdlib only), imports them once,
then forks a child per run; the child takes the run's folder, environment and command line
and runs the tool (`pytest` or `mkdocs`) as `python -m <tool>` would. Project code (`app`,
`tests`) is never imported here, and the combinations that measure coverage start pytest
the ordinary way (tests/harness/checks.py).

Protocol on a Unix socket, one run per connection: the client writes one JSON line
{"tool", "cwd", "env", "argv", "stdout", "stderr"}; the server answers a line: the exit
status and the CPU seconds the run used.
"""

import importlib
import json
import os
import socket
import sys
import traceback
from collections.abc import Callable

# Libraries the rendered apps import; missing ones (a question's other answer) are skipped.
# prometheus_client stays out: its default registry would be built before the run's
# environment is in place.
PRELOAD = (
    "alembic",
    "asgi_correlation_id",
    "asyncpg",
    "aiosqlite",
    "celery",
    # `import celery` is lazy: the app class, which every Celery render builds, is not.
    "celery.app.base",
    "cryptography.fernet",
    "email_validator",
    "fastapi",
    "httpx",
    "jwt",
    "kombu",
    "limits",
    "opentelemetry.sdk.trace",
    "phonenumbers",
    "pydantic",
    "pydantic_settings",
    "redis.asyncio",
    "sentry_sdk",
    "sqlalchemy.ext.asyncio",
    "structlog",
    "twilio.rest",
    "zxcvbn",
    # The rendered suites' test data factories.
    "faker",
    "polyfactory.factories.sqlalchemy_factory",
    # The docs build's.
    "bs4",
    "griffe",
    "material",
    "mkdocs.__main__",
    "mkdocs.commands.build",
    "mkdocstrings",
    "mkdocstrings_handlers.python",
    "pymdownx",
)


def preload() -> None:
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            continue


def main_of(tool: str) -> Callable[[list[str]], int | None]:
    """The function `python -m <tool>` runs, given its arguments."""
    if tool == "pytest":
        import pytest

        return pytest.main
    if tool == "mkdocs":
        from mkdocs.__main__ import cli

        return lambda arguments: cli.main(arguments, prog_name="mkdocs")
    raise ValueError(f"no tool {tool!r}")


def run_tool(request: dict[str, object]) -> int:
    """In the child: become `python -m <tool>` in the run's folder with the run's environment."""
    tool = str(request["tool"])
    cwd = str(request["cwd"])
    env = dict(request["env"])  # type: ignore[call-overload]
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    for stream, fd in (("stdout", 1), ("stderr", 2)):
        target = os.open(str(request[stream]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
        os.close(target)
    # As the interpreter orders them: the folder (`-m`), then PYTHONPATH, then the rest.
    extra = [path for path in env.get("PYTHONPATH", "").split(os.pathsep) if path]
    sys.path[0:0] = [cwd, *extra]
    arguments = list(request["argv"])  # type: ignore[call-overload]
    sys.argv = [tool, *arguments]
    try:
        return int(main_of(tool)(arguments) or 0)  # mkdocs ends by raising SystemExit
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def serve(path: str) -> None:
    preload()
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(path)
        server.listen()
        print("ready", flush=True)
        while True:
            connection, _ = server.accept()
            with connection, connection.makefile("rwb") as stream:
                request = json.loads(stream.readline())
                sys.stdout.flush()
                sys.stderr.flush()
                child = os.fork()
                if child == 0:
                    server.close()
                    os._exit(run_tool(request))
                _, status, usage = os.wait4(child, 0)
                cpu = usage.ru_utime + usage.ru_stime
                stream.write(f"{os.waitstatus_to_exitcode(status)} {cpu}\n".encode())
                stream.flush()


if __name__ == "__main__":
    serve(sys.argv[1])
