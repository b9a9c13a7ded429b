import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any, Protocol, Self, cast

from sqlalchemy import (
    ColumnElement,
    Delete,
    Insert,
    Select,
    Table,
    Update,
    bindparam,
    delete,
    insert,
    select,
    update,
)

from app.crud.base import Repository
from app.models import RefreshToken, RevocationReason, User

type Statement = Select[Any] | Insert | Update | Delete


class Row(Protocol):
    """A result row by column name: SQLAlchemy's `RowMapping` or asyncpg's `Record`."""

    def __getitem__(self, key: str, /) -> Any: ...


# Runs one statement and returns its first row, on whichever driver the caller holds.
type RowFetch = Callable[[Statement, Mapping[str, Any]], Awaitable[Row | None]]


@dataclass(frozen=True, slots=True)
class NewRefreshToken:
    """A refresh token about to be stored: the row's own values (the token is only hashed)."""

    id: uuid.UUID
    token_hash: str
    expires_at: datetime
    user_agent: str | None
    ip_address: str | None


@dataclass(frozen=True, slots=True)
class PresentedToken:
    """What a refresh needs of the token presented: its state and whether its owner may
    still sign in (live and active)."""

    id: uuid.UUID
    user_id: uuid.UUID
    family_id: uuid.UUID
    expires_at: datetime
    revoked_at: datetime | None
    revoked_reason: RevocationReason | None
    owner_active: bool

    @classmethod
    def from_row(cls, row: Row) -> Self:
        reason = row["revoked_reason"]  # the driver's plain string, on PostgreSQL
        return cls(
            id=row["id"],
            user_id=row["user_id"],
            family_id=row["family_id"],
            expires_at=row["expires_at"],
            revoked_at=row["revoked_at"],
            revoked_reason=None if reason is None else RevocationReason(reason),
            owner_active=row["owner_active"],
        )

    def rotatable_at(self, at: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > at and self.owner_active


@dataclass(frozen=True, slots=True)
class Rotation:
    """The outcome of presenting a refresh token: `presented` is None when no live token has
    its hash; `rotated` says whether the successor replaced it."""

    presented: PresentedToken | None
    rotated: bool


# The statements of every refresh, built once on the tables rather than the ORM entities: a
# statement on an entity goes through the ORM's loading or bulk machinery, which cost more
# than the statement itself (docs/performance.md). Every value is a parameter, timestamps
# included, so the driver can run them as compiled.
_TOKENS, _USERS = cast(Table, RefreshToken.__table__), cast(Table, User.__table__)
_tokens, _users = _TOKENS.c, _USERS.c
PRESENTED_TOKEN = (
    select(
        _tokens.id,
        _tokens.user_id,
        _tokens.family_id,
        _tokens.expires_at,
        _tokens.revoked_at,
        _tokens.revoked_reason,
        (_users.is_active.is_(True) & _users.deleted_at.is_(None)).label("owner_active"),
    )
    .join_from(_TOKENS, _USERS, _tokens.user_id == _users.id)
    .where(_tokens.token_hash == bindparam("token_hash"), _tokens.deleted_at.is_(None))
)
_OWN_VALUES = [field.name for field in fields(NewRefreshToken)]
INSERT_TOKEN = (
    insert(_TOKENS)
    .values(
        {name: bindparam(name) for name in [*_OWN_VALUES, "user_id", "family_id"]}
        | {"created_at": bindparam("at"), "updated_at": bindparam("at")}
    )
    .returning(_tokens.id)
)
ROTATE_IF_LIVE = (
    update(_TOKENS)
    .where(
        _tokens.id == bindparam("token_id"),
        _tokens.revoked_at.is_(None),
        _tokens.deleted_at.is_(None),
    )
    .values(
        revoked_at=bindparam("at"),
        revoked_reason=bindparam("reason"),
        last_used_at=bindparam("at"),
        replaced_by_id=bindparam("successor_id"),
        updated_at=bindparam("at"),
    )
    .returning(_tokens.id)
)
DISCARD_TOKEN = delete(_TOKENS).where(_tokens.id == bindparam("token_id")).returning(_tokens.id)


def new_token_parameters(
    token: NewRefreshToken, *, user_id: uuid.UUID, family_id: uuid.UUID, at: datetime
) -> dict[str, Any]:
    return {**asdict(token), "user_id": user_id, "family_id": family_id, "at": at}


async def rotate_presented_token(
    fetch: RowFetch, token_hash: str, successor: NewRefreshToken, at: datetime
) -> Rotation:
    """Replace the live token with this hash by `successor`, in the same session (family).

    The successor goes in first, so one conditional UPDATE both retires the token and links
    it: of two parallel refreshes with one token, one rotates it and the other finds it
    gone (its successor is removed again).
    """
    row = await fetch(PRESENTED_TOKEN, {"token_hash": token_hash})
    if row is None:
        return Rotation(presented=None, rotated=False)
    presented = PresentedToken.from_row(row)
    if not presented.rotatable_at(at):
        return Rotation(presented, rotated=False)
    await fetch(
        INSERT_TOKEN,
        new_token_parameters(
            successor, user_id=presented.user_id, family_id=presented.family_id, at=at
        ),
    )
    retire = {"token_id": presented.id, "successor_id": successor.id, "at": at}
    rotated = await fetch(ROTATE_IF_LIVE, {**retire, "reason": RevocationReason.ROTATED})
    if rotated is None:
        await fetch(DISCARD_TOKEN, {"token_id": successor.id})
    return Rotation(presented, rotated=rotated is not None)


class RefreshTokenRepository(Repository[RefreshToken]):
    model = RefreshToken

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        return await self._one_or_none(
            select(RefreshToken).where(RefreshToken.token_hash == token_hash)
        )

    async def create(
        self, token: NewRefreshToken, *, user_id: uuid.UUID, family_id: uuid.UUID, at: datetime
    ) -> None:
        """Store a token with one INSERT, sent now: a session's hot path needs no flush."""
        parameters = new_token_parameters(token, user_id=user_id, family_id=family_id, at=at)
        await self.session.execute(INSERT_TOKEN, parameters)

    async def revoke_family(
        self, family_id: uuid.UUID, *, reason: RevocationReason, at: datetime
    ) -> int:
        """Revoke every live token of one session; returns how many were revoked."""
        return await self._revoke(RefreshToken.family_id == family_id, reason=reason, at=at)

    async def revoke_all_for_user(
        self, user_id: uuid.UUID, *, reason: RevocationReason, at: datetime
    ) -> int:
        return await self._revoke(RefreshToken.user_id == user_id, reason=reason, at=at)

    async def _revoke(
        self, condition: ColumnElement[bool], *, reason: RevocationReason, at: datetime
    ) -> int:
        # Loaded and changed through the session (a user has a handful of sessions), so
        # tokens the caller already holds show the revocation too; a bulk UPDATE would not.
        tokens = await self._all(
            select(RefreshToken).where(condition, RefreshToken.revoked_at.is_(None))
        )
        for token in tokens:
            token.revoked_at, token.revoked_reason = at, reason
        await self.session.flush()
        return len(tokens)
