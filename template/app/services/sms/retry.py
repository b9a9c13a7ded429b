"""When a text that met a provider outage is tried again: one policy for every dispatcher."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from app.db.types import utcnow
from app.services.sms.job import SmsJob


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    # SMS_RETRY_DELAYS_SECONDS: the wait after each try that met an outage.
    delays_seconds: Sequence[float]

    def delay_after(self, job: SmsJob, attempt: int) -> float | None:
        """The wait after try `attempt` (from 1) before the next, or None when no try is left
        that would land before the code expires."""
        if attempt > len(self.delays_seconds):
            return None
        delay = self.delays_seconds[attempt - 1]
        return delay if utcnow() + timedelta(seconds=delay) < job.expires_at else None
