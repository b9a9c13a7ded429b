import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select, update

from app.crud.base import Repository
from app.models import Authentication, VerificationPurpose


class AuthenticationRepository(Repository[Authentication]):
    model = Authentication

    async def latest_for(self, target: str, purpose: VerificationPurpose) -> Authentication | None:
        return await self._one_or_none(
            select(Authentication)
            .where(Authentication.target == target, Authentication.purpose == purpose)
            .order_by(Authentication.created_at.desc())
            .limit(1)
        )

    async def latest_for_any(
        self, target: str, purposes: Collection[VerificationPurpose]
    ) -> Authentication | None:
        """The newest verification of `target` for any of `purposes` (a code names no purpose)."""
        return await self._one_or_none(
            select(Authentication)
            .where(Authentication.target == target, Authentication.purpose.in_(purposes))
            .order_by(Authentication.created_at.desc())
            .limit(1)
        )

    async def claim_attempt(self, verification_id: uuid.UUID) -> bool:
        """Count one attempt at a code; False when the attempts were all used already.

        One conditional UPDATE, so parallel guesses cannot exceed the limit between a read and
        a write.
        """
        claimed = await self.session.scalar(
            update(Authentication)
            .where(
                Authentication.id == verification_id,
                Authentication.attempts < Authentication.max_attempts,
            )
            .values(attempts=Authentication.attempts + 1)
            .returning(Authentication.id)
        )
        return claimed is not None

    async def mark_consumed(self, verification_id: uuid.UUID, at: datetime) -> bool:
        """Use a verification up; False when another request used it first (single use)."""
        consumed = await self.session.scalar(
            update(Authentication)
            .where(Authentication.id == verification_id, Authentication.consumed_at.is_(None))
            .values(consumed_at=at, verified_at=at)
            .returning(Authentication.id)
        )
        return consumed is not None

    async def count_since(self, target: str, purpose: VerificationPurpose, since: datetime) -> int:
        """Verifications started for a target since a moment (rate limits)."""
        count = await self.session.scalar(
            select(func.count())
            .select_from(Authentication)
            .where(
                Authentication.target == target,
                Authentication.purpose == purpose,
                Authentication.created_at >= since,
            )
        )
        return count or 0

    async def get_by_provider_ref(self, provider_ref: str) -> Authentication | None:
        return await self._one_or_none(
            select(Authentication).where(Authentication.provider_ref == provider_ref)
        )
