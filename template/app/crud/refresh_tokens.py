import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, Table, bindparam, delete, insert, select, update

from app.crud.base import Repository
from app.models import RefreshToken, RevocationReason, User


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


# The statements of every refresh, built once on the tables rather than the ORM entities: a
# statement on an entity goes through the ORM's loading or bulk machinery, which cost more
# than the statement itself (docs/performance.md).
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
INSERT_TOKEN = insert(_TOKENS)
ROTATE_IF_LIVE = (
    update(_TOKENS)
    .where(
        _tokens.id == bindparam("token_id"),
        _tokens.revoked_at.is_(None),
        _tokens.deleted_at.is_(None),
    )
    .values(
        revoked_at=bindparam("at"),
        revoked_reason=RevocationReason.ROTATED,
        last_used_at=bindparam("at"),
        replaced_by_id=bindparam("successor_id"),
    )
    .returning(_tokens.id)
)


class RefreshTokenRepository(Repository[RefreshToken]):
    model = RefreshToken

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        return await self._one_or_none(
            select(RefreshToken).where(RefreshToken.token_hash == token_hash)
        )

    async def presented(self, token_hash: str) -> PresentedToken | None:
        """The live token with this hash, with its owner's state; None if there is none."""
        row = (await self.session.execute(PRESENTED_TOKEN, {"token_hash": token_hash})).first()
        return None if row is None else PresentedToken(*row)

    async def create(
        self,
        *,
        user_id: uuid.UUID,
        family_id: uuid.UUID,
        token_hash: str,
        expires_at: datetime,
        user_agent: str | None,
        ip_address: str | None,
    ) -> uuid.UUID:
        """Store a token with one INSERT, sent now: a session's hot path needs no flush."""
        token_id = uuid.uuid4()
        await self.session.execute(
            INSERT_TOKEN,
            {
                "id": token_id,
                "user_id": user_id,
                "family_id": family_id,
                "token_hash": token_hash,
                "expires_at": expires_at,
                "user_agent": user_agent,
                "ip_address": ip_address,
            },
        )
        return token_id

    async def rotate(self, token_id: uuid.UUID, *, successor_id: uuid.UUID, at: datetime) -> bool:
        """Retire one live token in favour of its successor; False when it was not live (another
        request rotated or revoked it first).

        One conditional UPDATE, so two parallel refreshes with one token cannot both rotate it.
        """
        parameters = {"token_id": token_id, "successor_id": successor_id, "at": at}
        return await self.session.scalar(ROTATE_IF_LIVE, parameters) is not None

    async def discard(self, token_id: uuid.UUID) -> None:
        """Remove a token that was never handed out (the successor of a lost rotation)."""
        await self.session.execute(delete(RefreshToken).where(RefreshToken.id == token_id))

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
