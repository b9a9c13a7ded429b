from datetime import datetime

from sqlalchemy import func, select

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
