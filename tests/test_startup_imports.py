"""What a rendered service has imported once it has started, before any request.

The Twilio SDK's client brings an HTTP stack of its own (requests, urllib3) that the service
never sends through: it loads at the first request to Twilio, not at start-up, where every pod
of a scale-up would wait for it (the template's docs/performance.md has the figures).
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.harness.container_settings import TWILIO_ACCOUNT_SID, TWILIO_VERIFY_SERVICE_SID
from tests.harness.render import render

# Builds the app and runs its lifespan (the phone provider and the line-type lookup are made
# there), then prints every module loaded.
START_THEN_LIST_MODULES = """
import asyncio, json, sys
from app.main import create_app

async def start_and_stop() -> None:
    app = create_app()
    async with app.router.lifespan_context(app):
        pass

asyncio.run(start_and_stop())
print(json.dumps(sorted(sys.modules)))
"""
LOADED_AT_FIRST_USE = ("twilio.rest", "twilio.http", "requests", "urllib3")


@pytest.mark.parametrize("auth_provider", ["twilio_messaging", "twilio_verify"])
def test_start_up_leaves_the_twilio_client_to_the_first_request_to_twilio(
    tmp_path: Path, superset_environments: dict[str, Path], auth_provider: str
) -> None:
    project = render(tmp_path / "project", {"auth_provider": auth_provider})
    environment = superset_environments["3.12"]
    settings = {
        "PATH": f"{environment / 'bin'}{os.pathsep}/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/root"),
        "APP_ENV": "development",
        "PHONE_VERIFIER": "twilio",
        "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": "t" * 32,
        "TWILIO_MESSAGING_SERVICE_SID": "MG" + "0" * 32,
        "TWILIO_VERIFY_SERVICE_SID": TWILIO_VERIFY_SERVICE_SID,
        "SMS_LOOKUP_LINE_TYPE": "true",
    }

    started = subprocess.run(
        [str(environment / "bin" / "python"), "-c", START_THEN_LIST_MODULES],
        cwd=project,
        env=settings,
        capture_output=True,
        text=True,
        check=False,
    )

    assert started.returncode == 0, started.stderr
    loaded = json.loads(started.stdout.splitlines()[-1])
    assert "twilio.base.exceptions" in loaded  # the Twilio provider was built
    assert [name for name in loaded if name.startswith(LOADED_AT_FIRST_USE)] == []
