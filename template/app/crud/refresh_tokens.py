import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, select, update

from app.crud.base import Repository
from app.models import RefreshToken, RevocationReason


class RefreshTokenRepository(Repository[RefreshToken]):
    model = RefreshToken

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        return await self._one_or_none(
            select(RefreshToken).where(RefreshToken.token_hash == token_hash)
        )

    async def revoke_if_live(
        self, token_id: uuid.UUID, *, reason: RevocationReason, at: datetime
    ) -> bool:
        """Revoke one token unless it already is; False when another request got there first.

        One conditional UPDATE, so two parallel refreshes with one token cannot both rotate it.
        """
        revoked = await self.session.scalar(
            update(RefreshToken)
            .where(RefreshToken.id == token_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=at, revoked_reason=reason, last_used_at=at)
            .returning(RefreshToken.id)
        )
        return revoked is not None

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
