"""Helpers for tests of the phone sign-up and sign-in flow."""

import itertools
import logging
from typing import Any

import httpx
import pytest

from app.integrations.phone.console import CONSOLE_EVENT

# 415-555-xxxx: valid US numbers that `phonenumbers` accepts and no one answers.
_numbers = itertools.count()
_usernames = itertools.count()


def new_phone() -> str:
    return f"+1415555{next(_numbers) % 10_000:04d}"


def new_username() -> str:
    return f"flow_user{next(_usernames)}"


class SmsInbox:
    """The texts the console backend wrote to the log, as a developer would read them."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        # Tests log at WARNING; the service's own events are INFO.
        caplog.set_level(logging.INFO, logger="app")
        self._caplog = caplog

    def records(self) -> list[logging.LogRecord]:
        return self._caplog.records

    def messages(self) -> list[dict[str, str]]:
        return [
            record.msg
            for record in self.records()
            if isinstance(record.msg, dict) and record.msg.get("event") == CONSOLE_EVENT
        ]

    def last_code(self) -> str:
        messages = self.messages()
        assert messages, "no text was sent"
        return messages[-1]["code"]


async def sign_up(
    client: httpx.AsyncClient,
    inbox: SmsInbox,
    *,
    phone: str | None = None,
    username: str | None = None,
) -> dict[str, Any]:
    """Register a new account through the API; the token pair of its first session."""
    phone = phone or new_phone()
    body = {"phone_number": phone, "username": username or new_username()}
    registered = await client.post("/api/v1/auth/register", json=body)
    assert registered.status_code == 202, registered.text
    verified = await verify(client, phone, registered, inbox.last_code())
    assert verified.status_code == 200, verified.text
    assert verified.headers["cache-control"] == "no-store"  # it carries tokens
    assert verified.headers["pragma"] == "no-cache"
    tokens: dict[str, Any] = verified.json()
    return tokens


async def verify(
    client: httpx.AsyncClient, phone: str, code_sent: httpx.Response, code: str
) -> httpx.Response:
    """POST /auth/verify with the challenge of the code request that `code_sent` answered."""
    body = {"phone_number": phone, "challenge": code_sent.json()["challenge"], "code": code}
    return await client.post("/api/v1/auth/verify", json=body)


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}
