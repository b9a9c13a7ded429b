"""A process started with unusable settings stops with one readable line per problem."""

import shlex
import subprocess  # nosec B404 - runs this project's own entry points, with fixed arguments
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.process

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LEAKY_SECRET = "a" * 36 + "TAIL"
# What an operator who forgot most of production's settings starts with.
BAD_ENVIRONMENT = {
    "APP_ENV": "production",
    "SECRET_KEY": LEAKY_SECRET,
    "TWILIO_AUTH_TOKEN": "twilio-token-TAIL",
    "DEBUG": "true",
    "DATABASE_POOL_SIZE": "lots-TAIL",
}
ENTRY_POINTS = {
    "web": [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"],
    "migrations": [
        sys.executable,
        "-m",
        "alembic",
        "-c",
        str(PROJECT_ROOT / "alembic.ini"),
        "upgrade",
        "head",
    ],
}

# What each entry point must name, and must not: migrations read the database's settings
# alone (a migration job has no Twilio account or signing key to give).
REFUSED = {
    "web": {"SECRET_KEY", "DEBUG", "DATABASE_POOL_SIZE", "DATABASE_URL", "REDIS_URL"},
    "migrations": {"DATABASE_POOL_SIZE", "DATABASE_URL"},
}
NOT_ASKED = {"web": set(), "migrations": {"SECRET_KEY", "DEBUG", "REDIS_URL"}}


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_a_refused_start_lists_every_problem_without_values(
    entry_point: str, tmp_path: Path
) -> None:
    started = subprocess.run(  # noqa: S603  # nosec B603 - fixed arguments, no shell
        ENTRY_POINTS[entry_point],
        cwd=tmp_path,  # no .env
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT), **BAD_ENVIRONMENT},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert started.returncode == 1
    lines = started.stderr.strip().splitlines()
    assert lines[0].startswith("The settings were refused")
    named = {line.strip().split(":")[0] for line in lines[1:]}
    assert REFUSED[entry_point] <= named
    assert named.isdisjoint(NOT_ASKED[entry_point])
    assert len(lines) == 1 + len(set(lines[1:]))  # one line per problem, each once
    assert "TAIL" not in started.stderr + started.stdout
    assert "Traceback" not in started.stderr


def image_environment() -> dict[str, str]:
    """The variables the Dockerfile's last stage (the one that runs) sets."""
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    runtime_stage = dockerfile.rsplit("\nFROM ", 1)[1]
    variables: dict[str, str] = {}
    for line in runtime_stage.splitlines():
        if line.startswith("ENV "):
            for pair in shlex.split(line.removeprefix("ENV ")):
                name, _, value = pair.partition("=")
                variables[name] = value
    return variables


def test_the_image_refuses_to_start_without_its_settings(tmp_path: Path) -> None:
    image = image_environment()
    assert image["APP_ENV"] == "production"

    started = subprocess.run(  # noqa: S603  # nosec B603 - fixed arguments, no shell
        ENTRY_POINTS["web"],
        cwd=tmp_path,  # no .env, as in the image
        env={**image, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert started.returncode == 1
    assert started.stderr.startswith("The settings were refused")
    assert "\n  SECRET_KEY: required in production" in started.stderr
    assert "\n  DATABASE_URL: required in production" in started.stderr
