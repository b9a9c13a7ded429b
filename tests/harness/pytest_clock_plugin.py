"""A pytest plugin the harness loads into a rendered project's suite (stdlib only).

It writes when collection ended (epoch seconds) and the CPU the process had used by then, so
the harness can split the suite's time into start-up (interpreter, plugins, imports,
collection) and the tests themselves.
"""

import json
import os
import time
from pathlib import Path

import pytest


def pytest_collection_finish(session: pytest.Session) -> None:
    target = os.environ.get("HARNESS_PYTEST_CLOCK")
    if target:
        Path(target).write_text(json.dumps({"wall": time.time(), "cpu": time.process_time()}))
