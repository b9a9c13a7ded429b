import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import or_, select, update

from app.crud.base import Repository
from app.models import VerificationPurpose, VerificationRecord


class VerificationRepository(Repository[VerificationRecord]):
    model = VerificationRecord

    async def latest_for(
        self, target: str, purpose: VerificationPurpose, *, user_id: uuid.UUID | None = None
    ) -> VerificationRecord | None:
        """The newest verification of `target` for `purpose` (of one account's, if given)."""
        query = select(VerificationRecord).where(
            VerificationRecord.target == target, VerificationRecord.purpose == purpose
        )
        if user_id is not None:
            query = query.where(VerificationRecord.user_id == user_id)
        return await self._one_or_none(
            query.order_by(VerificationRecord.created_at.desc()).limit(1)
        )

    async def latest_for_any(
        self, target: str, purposes: Collection[VerificationPurpose]
    ) -> VerificationRecord | None:
        """The newest verification of `target` for any of `purposes` (a code names no purpose)."""
        return await self._one_or_none(
            select(VerificationRecord)
            .where(VerificationRecord.target == target, VerificationRecord.purpose.in_(purposes))
            .order_by(VerificationRecord.created_at.desc())
            .limit(1)
        )

    async def claim_attempt(self, verification_id: uuid.UUID) -> bool:
        """Count one attempt at a code; False when the attempts were all used already.

        One conditional UPDATE, so parallel guesses cannot exceed the limit between a read and
        a write.
        """
        claimed = await self.session.scalar(
            update(VerificationRecord)
            .where(
                VerificationRecord.id == verification_id,
                VerificationRecord.attempts < VerificationRecord.max_attempts,
            )
            .values(attempts=VerificationRecord.attempts + 1)
            .returning(VerificationRecord.id)
        )
        return claimed is not None

    async def mark_consumed(self, verification_id: uuid.UUID, at: datetime) -> bool:
        """Use a verification up; False when another request used it first (single use)."""
        consumed = await self.session.scalar(
            update(VerificationRecord)
            .where(
                VerificationRecord.id == verification_id, VerificationRecord.consumed_at.is_(None)
            )
            .values(consumed_at=at, verified_at=at)
            .returning(VerificationRecord.id)
        )
        return consumed is not None

    async def advance_delivery_status(
        self,
        provider_ref: str,
        status: str,
        *,
        earlier: Collection[str],
        error_code: str | None,
        at: datetime,
    ) -> tuple[uuid.UUID, str] | None:
        """Move a message's delivery status forward, from none or one of `earlier` only; the
        record's id and target when it moved, None when it did not (replayed, late or unknown).

        One conditional UPDATE, so two reports arriving together cannot both move it.
        """
        moved = await self.session.execute(
            update(VerificationRecord)
            .where(
                VerificationRecord.provider_ref == provider_ref,
                or_(
                    VerificationRecord.delivery_status.is_(None),
                    VerificationRecord.delivery_status.in_(earlier),
                ),
            )
            .values(delivery_status=status, delivery_status_at=at, delivery_error_code=error_code)
            .returning(VerificationRecord.id, VerificationRecord.target)
        )
        row = moved.first()
        return None if row is None else (row.id, row.target)
