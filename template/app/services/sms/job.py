"""One verification text to send, as the request hands it over and as a queue carries it."""

import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from app.models import VerificationPurpose


@dataclass(frozen=True, slots=True)
class SmsJob:
    """One text to send. It holds the code in clear, so it lives only until the text is sent
    (in memory, or in the broker's queue with Celery); the database keeps only a hash.
    """

    verification_id: uuid.UUID
    # The destination, E.164. Out of the repr with the code, so a job that ends up in a log
    # or a traceback shows neither.
    to: str = field(repr=False)
    purpose: VerificationPurpose
    code: str | None = field(repr=False)
    locale: str | None
    account_exists: bool
    # The code's end: a text that leaves later is of no use, so a queue may drop it then.
    expires_at: datetime

    def to_payload(self) -> dict[str, Any]:
        """JSON-friendly, for a task queue."""
        return {
            **asdict(self),
            "verification_id": str(self.verification_id),
            "purpose": self.purpose.value,
            "expires_at": self.expires_at.isoformat(),
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> "SmsJob":
        return cls(
            verification_id=uuid.UUID(payload["verification_id"]),
            # Jobs queued by a release before 0.3.0 call the destination `phone`.
            to=payload["to"] if "to" in payload else payload["phone"],
            purpose=VerificationPurpose(payload["purpose"]),
            code=payload["code"],
            locale=payload["locale"],
            account_exists=payload["account_exists"],
            expires_at=datetime.fromisoformat(payload["expires_at"]),
        )
