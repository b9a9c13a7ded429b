"""Reading the service's structured log events in tests, through the stdlib records."""

from typing import Any

import pytest


class LoggedEvents:
    """The events written so far, as the dicts structlog built (before rendering)."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self._caplog = caplog

    def named(self, event: str) -> list[dict[str, Any]]:
        return [
            record.msg
            for record in self._caplog.records
            if isinstance(record.msg, dict) and record.msg.get("event") == event
        ]
