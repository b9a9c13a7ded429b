"""DATABASE_URL's rules as the real processes meet them: `alembic upgrade head` and the server.

Each process starts in an empty folder (no .env) with only the environment given here.
"""

import os
import subprocess  # nosec B404 - runs this project's own tools, with fixed arguments
import sys
from pathlib import Path

import pytest

from tests.production import production_environment, with_tls_choice

pytestmark = pytest.mark.process

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ALEMBIC = [sys.executable, "-m", "alembic", "-c", str(PROJECT_ROOT / "alembic.ini")]
SERVER = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--port", "0"]
# A bound, not a wait: importing the app takes seconds on a loaded CI machine.
TIMEOUT_SECONDS = 120
# Nothing is migrated here if a refusal were missing: the database does not exist.
NO_SUCH_DATABASE = "postgresql+asyncpg://postgres@127.0.0.1:5432/no_such_database"
REFUSED = [
    (
        f"{NO_SUCH_DATABASE}?sslmode=disable",
        "DATABASE_URL: asyncpg does not take libpq's `sslmode=`; write ssl=",
    ),
    (NO_SUCH_DATABASE, "DATABASE_URL: must choose TLS in production: end it with ?ssl=require"),
]
REFUSED_IDS = ["libpq-sslmode", "no-tls-choice"]


def run(command: list[str], environment: dict[str, str], cwd: Path) -> tuple[int, str]:
    finished = subprocess.run(  # noqa: S603  # nosec B603 - fixed arguments, no shell
        command,
        cwd=cwd,
        env={**environment, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    return finished.returncode, finished.stdout + finished.stderr


def migration_environment(database_url: str) -> dict[str, str]:
    """What a migration job is given: the database, and no other setting of this run."""
    return {
        "PATH": os.environ["PATH"],
        "APP_ENV": "production",
        "DATABASE_URL": database_url,
    }


def test_production_migrations_need_only_the_database_settings(
    database_url: str, tmp_path: Path
) -> None:
    environment = migration_environment(with_tls_choice(database_url))

    status, output = run([*ALEMBIC, "upgrade", "head"], environment, tmp_path)

    assert status == 0, output


@pytest.mark.parametrize(("url", "message"), REFUSED, ids=REFUSED_IDS)
def test_production_migrations_refuse_a_url_and_say_what_to_write(
    url: str, message: str, tmp_path: Path
) -> None:
    status, output = run([*ALEMBIC, "upgrade", "head"], migration_environment(url), tmp_path)

    assert status != 0
    assert message in output


@pytest.mark.parametrize(("url", "message"), REFUSED, ids=REFUSED_IDS)
def test_the_production_server_refuses_to_start_and_says_what_to_write(
    url: str, message: str, database_url: str, tmp_path: Path
) -> None:
    environment = {**production_environment(database_url), "DATABASE_URL": url}

    status, output = run(SERVER, environment, tmp_path)

    assert status != 0
    assert message in output
