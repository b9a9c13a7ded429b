"""SessionService on the real database: what a session stores, rotation rules, races."""

import logging
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

import jwt
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.config import Settings
from app.core.errors import InvalidRefreshTokenError
from app.core.logging import configure_logging
from app.core.security import decode_access_token
from app.core.token_state import MemoryTokenStateStore
from app.crud.accounts import CoreAccountStore
from app.crud.refresh_tokens import (
    ROTATE_IF_LIVE,
    NewRefreshToken,
    Rotation,
    Row,
    Statement,
    rotate_presented_token,
)
from app.crud.uow import UnitOfWork
from app.db.types import utcnow
from app.models import RefreshToken, RevocationReason, User
from app.services.sessions import (
    SessionService,
    hash_refresh_token,
)
from tests.factories import RefreshTokenFactory

AuthEvents = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def token_state(settings: Settings) -> MemoryTokenStateStore:
    return MemoryTokenStateStore(access_token_ttl_seconds=settings.access_token_ttl_seconds)


@pytest.fixture
def accounts(db_connection: AsyncConnection) -> CoreAccountStore:
    return CoreAccountStore(db_connection)


@pytest.fixture
def sessions(
    uow: UnitOfWork,
    accounts: CoreAccountStore,
    settings: Settings,
    token_state: MemoryTokenStateStore,
) -> SessionService:
    return SessionService(uow, accounts, settings, token_state)


@pytest.fixture
def auth_events(caplog: pytest.LogCaptureFixture) -> AuthEvents:
    """The structured events the service logs, as dicts, read when called."""
    configure_logging(level="WARNING", json=True)
    caplog.set_level(logging.INFO, logger="app.auth")
    return lambda: [r.msg for r in caplog.records if r.name == "app.auth"]  # type: ignore[misc]


async def stored(uow: UnitOfWork, refresh_token: str) -> RefreshToken:
    row = await uow.refresh_tokens.get_by_hash(hash_refresh_token(refresh_token))
    assert row is not None
    return row


async def test_a_session_stores_only_a_hash_of_its_refresh_token(
    sessions: SessionService, user: User, uow: UnitOfWork, settings: Settings
) -> None:
    pair = await sessions.start_session(user, user_agent="agent/1.0", ip="203.0.113.9")

    row = await stored(uow, pair.refresh_token)
    assert row.token_hash != pair.refresh_token
    assert len(pair.refresh_token) >= 43  # 256 random bits
    assert (row.user_id, row.user_agent, row.ip_address) == (user.id, "agent/1.0", "203.0.113.9")
    lifetime = row.expires_at - row.created_at
    assert abs(lifetime - timedelta(seconds=settings.refresh_token_ttl_seconds)) < timedelta(
        seconds=5
    )
    assert user.last_login_at is not None


async def test_the_access_token_names_its_user_and_session(
    sessions: SessionService, user: User, uow: UnitOfWork, settings: Settings
) -> None:
    pair = await sessions.start_session(user, user_agent=None, ip=None)

    claims = decode_access_token(pair.access_token, settings)
    raw = jwt.decode(pair.access_token, options={"verify_signature": False})
    assert claims.user_id == user.id
    assert claims.session_id == (await stored(uow, pair.refresh_token)).family_id
    assert raw["type"] == "access"
    assert {"sub", "sid", "exp", "iat", "nbf", "jti", "iss", "aud"} <= raw.keys()
    assert raw["exp"] - int(raw["iat"]) == settings.access_token_ttl_seconds
    assert pair.expires_in == settings.access_token_ttl_seconds


async def test_every_session_is_a_family_of_its_own(
    sessions: SessionService, user: User, uow: UnitOfWork
) -> None:
    first = await sessions.start_session(user, user_agent=None, ip=None)
    second = await sessions.start_session(user, user_agent=None, ip=None)

    families = {(await stored(uow, p.refresh_token)).family_id for p in (first, second)}
    assert len(families) == 2


async def test_a_refresh_that_loses_a_race_is_treated_as_reuse(
    sessions: SessionService,
    user: User,
    uow: UnitOfWork,
    db_connection: AsyncConnection,
    settings: Settings,
    token_state: MemoryTokenStateStore,
) -> None:
    pair = await sessions.start_session(user, user_agent=None, ip=None)
    family_id = (await stored(uow, pair.refresh_token)).family_id
    # The successor a parallel request stored for the same token.
    winner = uow.refresh_tokens.add(RefreshTokenFactory.build(user_id=user.id, family_id=family_id))
    await uow.flush()

    class ParallelRequestWinsFirst(CoreAccountStore):
        # The parallel request retires the token between this one's read and its write.
        async def rotate_refresh_token(
            self, token_hash: str, successor: NewRefreshToken, at: datetime
        ) -> Rotation:
            async def fetch(statement: Statement, parameters: Mapping[str, Any]) -> Row | None:
                if statement is ROTATE_IF_LIVE:
                    await self._first_row(statement, {**parameters, "successor_id": winner.id})
                return await self._first_row(statement, parameters)

            return await rotate_presented_token(fetch, token_hash, successor, at)

    racing = SessionService(uow, ParallelRequestWinsFirst(db_connection), settings, token_state)

    with pytest.raises(InvalidRefreshTokenError):
        await racing.refresh(pair.refresh_token, user_agent=None, ip=None)

    await uow.session.refresh(winner)
    assert winner.revoked_reason == RevocationReason.REUSE_DETECTED
    family = await uow.session.scalars(
        select(RefreshToken).where(RefreshToken.family_id == family_id)
    )
    # The token and the winner's successor, revoked; this request's successor, removed.
    assert [token.revoked_at is not None for token in family] == [True, True]


async def test_an_expired_refresh_token_is_refused(
    sessions: SessionService, user: User, uow: UnitOfWork
) -> None:
    pair = await sessions.start_session(user, user_agent=None, ip=None)
    (await stored(uow, pair.refresh_token)).expires_at = utcnow() - timedelta(seconds=1)
    await uow.flush()

    with pytest.raises(InvalidRefreshTokenError):
        await sessions.refresh(pair.refresh_token, user_agent=None, ip=None)


async def test_a_token_revoked_by_logout_is_refused_without_a_theft_alarm(
    sessions: SessionService,
    user: User,
    uow: UnitOfWork,
    settings: Settings,
    auth_events: AuthEvents,
) -> None:
    pair = await sessions.start_session(user, user_agent=None, ip=None)
    claims = decode_access_token(pair.access_token, settings)
    await sessions.logout(user.id, claims.session_id)

    with pytest.raises(InvalidRefreshTokenError):
        await sessions.refresh(pair.refresh_token, user_agent=None, ip=None)

    assert (await stored(uow, pair.refresh_token)).revoked_reason == RevocationReason.LOGOUT
    assert [entry["event"] for entry in auth_events()][-1] == "refresh_refused"
    assert "refresh_token_reuse_detected" not in [entry["event"] for entry in auth_events()]


async def test_logout_all_revokes_every_session_and_records_the_instant(
    sessions: SessionService, user: User, uow: UnitOfWork, token_state: MemoryTokenStateStore
) -> None:
    pairs = [await sessions.start_session(user, user_agent=None, ip=None) for _ in range(2)]

    await sessions.logout_all(user.id)

    for pair in pairs:
        row = await stored(uow, pair.refresh_token)
        assert row.revoked_reason == RevocationReason.LOGOUT_ALL
    revoked, valid_after = await token_state.access_token_state(uuid.uuid4(), user.id, "jti-1")
    assert (revoked, valid_after) == (False, user.tokens_valid_after)
    assert valid_after is not None


async def test_logs_name_sessions_but_never_carry_tokens(
    sessions: SessionService, user: User, auth_events: AuthEvents
) -> None:
    pair = await sessions.start_session(user, user_agent=None, ip=None)
    rotated = await sessions.refresh(pair.refresh_token, user_agent=None, ip=None)
    with pytest.raises(InvalidRefreshTokenError):
        await sessions.refresh(pair.refresh_token, user_agent=None, ip=None)

    logs = auth_events()
    assert [entry["event"] for entry in logs] == [
        "session_started",
        "session_refreshed",
        "refresh_token_reuse_detected",
        "refresh_refused",
    ]
    secrets = {pair.access_token, pair.refresh_token, rotated.access_token, rotated.refresh_token}
    assert not any(secret in repr(entry) for entry in logs for secret in secrets)
    assert all(entry.get("user_id") == str(user.id) for entry in logs[:3])


async def test_a_refresh_token_of_a_vanished_account_is_refused(
    sessions: SessionService, user: User, uow: UnitOfWork
) -> None:
    pair = await sessions.start_session(user, user_agent=None, ip=None)
    await uow.users.soft_delete(user.id)

    with pytest.raises(InvalidRefreshTokenError):
        await sessions.refresh(pair.refresh_token, user_agent=None, ip=None)
