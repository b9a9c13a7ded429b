import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, delete, insert, select, update

from app.crud.base import Repository
from app.models import RefreshToken, RevocationReason


class RefreshTokenRepository(Repository[RefreshToken]):
    model = RefreshToken

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        return await self._one_or_none(
            select(RefreshToken).where(RefreshToken.token_hash == token_hash)
        )

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
            insert(RefreshToken).values(
                id=token_id,
                user_id=user_id,
                family_id=family_id,
                token_hash=token_hash,
                expires_at=expires_at,
                user_agent=user_agent,
                ip_address=ip_address,
            )
        )
        return token_id

    async def rotate(self, token_id: uuid.UUID, *, successor_id: uuid.UUID, at: datetime) -> bool:
        """Retire one live token in favour of its successor; False when it was not live (another
        request rotated or revoked it first).

        One conditional UPDATE, so two parallel refreshes with one token cannot both rotate it.
        """
        rotated = await self.session.scalar(
            update(RefreshToken)
            .where(RefreshToken.id == token_id, RefreshToken.revoked_at.is_(None))
            .values(
                revoked_at=at,
                revoked_reason=RevocationReason.ROTATED,
                last_used_at=at,
                replaced_by_id=successor_id,
            )
            .returning(RefreshToken.id)
        )
        return rotated is not None

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
