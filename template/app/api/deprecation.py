"""Marks an operation deprecated in the schema and in every answer it gives.

    @router.get("/old", **deprecated(since=date(2027, 1, 31), sunset=date(2027, 7, 31),
                                     successor="/api/v2/new"))

OpenAPI shows `deprecated: true`; responses carry `Deprecation` (RFC 9745), and with the
dates and successor given, `Sunset` (RFC 8594) and `Link: <successor>; rel="successor-version"`.
docs/api-guidelines.md says when each stage applies.
"""

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time
from email.utils import format_datetime
from typing import Any

from fastapi import Depends, Response


def deprecated(
    *, since: date, sunset: date | None = None, successor: str | None = None
) -> dict[str, Any]:
    """Keyword arguments for a route decorator (or `include_router`): `deprecated=True` and a
    dependency that adds the headers. Dates are whole days, at midnight UTC."""
    headers = deprecation_headers(since=since, sunset=sunset, successor=successor)
    return {"deprecated": True, "dependencies": [Depends(_header_setter(headers))]}


def deprecation_headers(
    *, since: date, sunset: date | None = None, successor: str | None = None
) -> dict[str, str]:
    if sunset is not None and sunset <= since:
        raise ValueError(f"sunset ({sunset}) must come after deprecation ({since})")
    # RFC 9745: a Structured Fields Date, seconds since the epoch after an "@".
    headers = {"Deprecation": f"@{int(_midnight_utc(since).timestamp())}"}
    if sunset is not None:
        # RFC 8594: an HTTP-date.
        headers["Sunset"] = format_datetime(_midnight_utc(sunset), usegmt=True)
    if successor is not None:
        headers["Link"] = f'<{successor}>; rel="successor-version"'
    return headers


def _midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _header_setter(headers: dict[str, str]) -> Callable[[Response], Awaitable[None]]:
    async def add_deprecation_headers(response: Response) -> None:
        response.headers.update(headers)

    return add_deprecation_headers
