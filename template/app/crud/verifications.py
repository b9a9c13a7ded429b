import uuid
from collections.abc import Collection
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.crud.base import Repository
from app.models import VerificationPurpose, VerificationRecord

# The conditional UPDATEs of every code check, built on the table rather than the entity: on the
# entity they run through the ORM's bulk machinery, which costs more than the statement
# (docs/performance.md).
_RECORDS = cast(Table, VerificationRecord.__table__)
_records = _RECORDS.c
CLAIM_ATTEMPT = (
    update(_RECORDS)
    .where(_records.id == bindparam("record_id"), _records.attempts < _records.max_attempts)
    .values(attempts=_records.attempts + 1)
    .returning(_records.id)
)
MARK_CONSUMED = (
    update(_RECORDS)
    .where(_records.id == bindparam("record_id"), _records.consumed_at.is_(None))
    .values(consumed_at=bindparam("at"), verified_at=bindparam("at"))
    .returning(_records.id)
)


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

    async def claim_attempt(self, verification: VerificationRecord) -> bool:
        """Count one attempt at a code; False when the attempts were all used already.

        One conditional UPDATE, so parallel guesses cannot exceed the limit between a read and
        a write. The loaded record shows the count without being changed by it (a flush
        never writes it back over a parallel guess's).
        """
        claimed = await self.session.scalar(CLAIM_ATTEMPT, {"record_id": verification.id})
        if claimed is not None:
            set_committed_value(verification, "attempts", verification.attempts + 1)
        return claimed is not None

    async def mark_consumed(self, verification: VerificationRecord, at: datetime) -> bool:
        """Use a verification up; False when another request used it first (single use)."""
        consumed = await self.session.scalar(
            MARK_CONSUMED, {"record_id": verification.id, "at": at}
        )
        if consumed is not None:
            set_committed_value(verification, "consumed_at", at)
            set_committed_value(verification, "verified_at", at)
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
            update(_RECORDS)
            .where(
                _records.provider_ref == provider_ref,
                or_(_records.delivery_status.is_(None), _records.delivery_status.in_(earlier)),
            )
            .values(delivery_status=status, delivery_status_at=at, delivery_error_code=error_code)
            .returning(_records.id, _records.target)
        )
        row = moved.first()
        return None if row is None else (row.id, row.target)
