"""Revoked sessions and each user's `tokens_valid_after`, checked on every request.

Access tokens are stateless JWTs; these two facts are the only state that can refuse one
before it expires, so both are read in one Redis round trip (MGET). A session (`sid`, one
refresh-token family) is revoked as a whole: every access token it was given, including
those issued before a refresh, is refused. Entries expire on their own once every token
they could refuse has expired anyway.
"""

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.core.config import Settings
from app.core.errors import ExternalServiceError
from app.core.security import LEEWAY_SECONDS


class TokenStateStore(Protocol):
    async def revoke_session(self, session_id: uuid.UUID) -> None:
        """Refuse every access token of the session from now until the last one expires."""

    async def set_tokens_valid_after(self, user_id: uuid.UUID, at: datetime) -> None:
        """Refuse every access token of the user issued before `at`."""

    async def access_token_state(
        self, session_id: uuid.UUID, user_id: uuid.UUID, jti: str
    ) -> tuple[bool, datetime | None]:
        """Whether the session (or the token) is revoked, and the user's tokens_valid_after."""


class RedisTokenStateStore:
    def __init__(self, redis: Redis, *, key_prefix: str, access_token_ttl_seconds: int) -> None:
        self._redis = redis
        self._prefix = key_prefix
        # A token issued just before a revocation or `tokens_valid_after` lives this long at most.
        self._ttl = access_token_ttl_seconds + LEEWAY_SECONDS + 1

    def _revoked_key(self, session_id: uuid.UUID) -> str:
        return f"{self._prefix}revoked-session:{session_id}"

    def _valid_after_key(self, user_id: uuid.UUID) -> str:
        return f"{self._prefix}tokens-valid-after:{user_id}"

    def _revoked_jti_key(self, jti: str) -> str:
        # Written by logout in 0.1.0 (one token, not its session); still read so that an
        # upgrade does not revive tokens revoked that way. Remove in the release after next.
        return f"{self._prefix}revoked-jti:{jti}"

    async def revoke_session(self, session_id: uuid.UUID) -> None:
        with _unavailable_as_503():
            await self._redis.set(self._revoked_key(session_id), b"1", ex=self._ttl)

    async def set_tokens_valid_after(self, user_id: uuid.UUID, at: datetime) -> None:
        with _unavailable_as_503():
            await self._redis.set(
                self._valid_after_key(user_id), repr(at.timestamp()), ex=self._ttl
            )

    async def access_token_state(
        self, session_id: uuid.UUID, user_id: uuid.UUID, jti: str
    ) -> tuple[bool, datetime | None]:
        with _unavailable_as_503():
            revoked_session, valid_after, revoked_jti = await self._redis.mget(
                self._revoked_key(session_id),
                self._valid_after_key(user_id),
                self._revoked_jti_key(jti),
            )
        revoked = revoked_session is not None or revoked_jti is not None
        return revoked, _from_timestamp(valid_after)


class MemoryTokenStateStore:
    """One process's memory: for development without Redis (and unit tests)."""

    def __init__(self, *, access_token_ttl_seconds: int) -> None:
        self._ttl = access_token_ttl_seconds + LEEWAY_SECONDS + 1
        # Each entry keeps the Unix time after which it refuses nothing and is forgotten.
        self._revoked: dict[uuid.UUID, float] = {}
        self._valid_after: dict[uuid.UUID, tuple[datetime, float]] = {}

    async def revoke_session(self, session_id: uuid.UUID) -> None:
        self._forget_expired()
        self._revoked[session_id] = time.time() + self._ttl

    async def set_tokens_valid_after(self, user_id: uuid.UUID, at: datetime) -> None:
        self._forget_expired()
        self._valid_after[user_id] = (at, time.time() + self._ttl)

    async def access_token_state(
        self, session_id: uuid.UUID, user_id: uuid.UUID, jti: str
    ) -> tuple[bool, datetime | None]:
        del jti  # only a Redis kept across an upgrade holds revoked token ids
        now = time.time()
        revoked = self._revoked.get(session_id, 0.0) > now
        at, until = self._valid_after.get(user_id, (None, 0.0))
        return revoked, at if until > now else None

    def _forget_expired(self) -> None:
        now = time.time()
        self._revoked = {sid: until for sid, until in self._revoked.items() if until > now}
        self._valid_after = {
            user_id: entry for user_id, entry in self._valid_after.items() if entry[1] > now
        }


@contextmanager
def _unavailable_as_503() -> Iterator[None]:
    # Closed, not open: a token that cannot be checked against revocations is not accepted.
    try:
        yield
    except RedisError as exc:
        raise ExternalServiceError("redis", "Sessions cannot be checked") from exc


def _from_timestamp(value: bytes | str | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(float(value), UTC)


def create_token_state_store(redis: Redis | None, settings: Settings) -> TokenStateStore:
    if redis is None:
        return MemoryTokenStateStore(access_token_ttl_seconds=settings.access_token_ttl_seconds)
    return RedisTokenStateStore(
        redis,
        key_prefix=settings.redis_key_prefix,
        access_token_ttl_seconds=settings.access_token_ttl_seconds,
    )
