import logging

import pytest

from app.core.logging import configure_logging
from tests.logs import LoggedEvents


@pytest.fixture
def logged(caplog: pytest.LogCaptureFixture) -> LoggedEvents:
    # Configured here, before the test runs: pytest adds its capturing handler afterwards.
    # (structlog's capture_logs misses loggers cached under an earlier configuration.)
    configure_logging(level="INFO", json=True)
    caplog.set_level(logging.INFO)
    return LoggedEvents(caplog)
