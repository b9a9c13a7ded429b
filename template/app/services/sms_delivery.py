"""Sending verification texts off the request path, and recording what the provider said.

The request stores the verification and hands an `SmsJob` to an `SmsDispatcher`; the text
then leaves after the response (in this process, `InProcessSmsSender`) or from the Celery
worker, so a slow provider never holds a request, and known and unknown numbers answer
alike. Which dispatcher a request gets is chosen in `app/api/sms_dispatch.py`.
"""

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

import structlog

from app.core.background import BackgroundJobs
from app.core.business_metrics import NO_BUSINESS_METRICS, BusinessMetrics, CodeOutcome
from app.core.errors import AppError, DestinationRefusedError, ExternalServiceError
from app.crud.uow import UnitOfWork
from app.db.session import SessionFactory
from app.db.types import utcnow
from app.integrations.phone.base import Delivery, PhoneVerifier
from app.integrations.phone.twilio_errors import provider_error_code
from app.models import VerificationChannel, VerificationPurpose
from app.utils.phone import mask_phone

logger = structlog.get_logger(__name__)

FAILED = "failed"
# Recorded after each try that met a provider outage while another try is still to come.
RETRYING = "retrying"


@dataclass(frozen=True, slots=True)
class SmsJob:
    """One text to send. It holds the code in clear, so it lives only until the text is sent
    (in memory, or in the broker's queue with Celery); the database keeps only a hash.
    """

    verification_id: uuid.UUID
    # Out of the repr, so a job that ends up in a log or a traceback shows neither.
    phone: str = field(repr=False)
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
            phone=payload["phone"],
            purpose=VerificationPurpose(payload["purpose"]),
            code=payload["code"],
            locale=payload["locale"],
            account_exists=payload["account_exists"],
            expires_at=datetime.fromisoformat(payload["expires_at"]),
        )


class SmsDispatcher(Protocol):
    async def dispatch(self, job: SmsJob) -> None: ...


@dataclass(frozen=True, slots=True)
class SmsTry:
    """What one try of a text recorded, and the wait before the next when it met an outage."""

    status: str | None
    retry_in_seconds: float | None = None


def retry_delay(job: SmsJob, attempt: int, retry_delays_seconds: Sequence[float]) -> float | None:
    """The wait after try `attempt` before the next, or None when no try is left that would
    land before the code expires. One schedule (SMS_RETRY_DELAYS_SECONDS) for every sender."""
    if attempt > len(retry_delays_seconds):
        return None
    delay = retry_delays_seconds[attempt - 1]
    return delay if utcnow() + timedelta(seconds=delay) < job.expires_at else None


class SmsDelivery:
    """Sends one job's text and records the outcome on its verification record."""

    def __init__(
        self,
        verifier: PhoneVerifier,
        session_factory: SessionFactory,
        *,
        metrics: BusinessMetrics = NO_BUSINESS_METRICS,
    ) -> None:
        self.verifier = verifier
        self._session_factory = session_factory
        self._metrics = metrics

    async def __call__(self, job: SmsJob, *, raise_outages: bool = False) -> str | None:
        """Returns the delivery status recorded. Failures are logged and recorded, except
        provider outages when `raise_outages` is set: the caller (`attempt`, with a try left)
        tries again later.
        """
        try:
            delivery = await self.verifier.send(
                job.phone,
                job.purpose,
                code=job.code,
                locale=job.locale,
                account_exists=job.account_exists,
            )
        except AppError as exc:
            if raise_outages and isinstance(exc, ExternalServiceError):
                raise
            self._count(CodeOutcome.FAILED)
            await self._record_failure(job, exc)
            return FAILED
        self._count(CodeOutcome.SENT)
        logger.info(
            "sms_sent",
            verification_id=str(job.verification_id),
            phone=mask_phone(job.phone),
            provider=self.verifier.name,
            provider_ref=delivery.provider_ref,
            status=delivery.status,
        )
        await self._record(job, delivery, error_code=None)
        return delivery.status

    async def attempt(
        self, job: SmsJob, *, attempt: int, retry_delays_seconds: Sequence[float]
    ) -> SmsTry:
        """Try `attempt` (from 1) of the text. An outage with a try left is logged
        (`sms_send_retry`) and recorded as retrying, and the caller waits `retry_in_seconds`;
        on the last try it is the job's failure (`sms_send_failed`)."""
        delay = retry_delay(job, attempt, retry_delays_seconds)
        if delay is None:
            return SmsTry(await self(job))
        try:
            return SmsTry(await self(job, raise_outages=True))
        except ExternalServiceError as exc:
            await self._record_error(
                job, exc, RETRYING, "sms_send_retry", attempt=attempt, retry_in_seconds=delay
            )
            return SmsTry(RETRYING, retry_in_seconds=delay)

    def count_queued(self) -> None:
        """Counted instead of the provider's answer when a worker sends the text."""
        self._count(CodeOutcome.QUEUED)

    def _count(self, outcome: CodeOutcome) -> None:
        self._metrics.verification_code_sent(VerificationChannel.SMS, self.verifier.name, outcome)

    async def _record_failure(self, job: SmsJob, exc: AppError) -> None:
        if isinstance(exc, DestinationRefusedError):
            self._metrics.sms_provider_refused(provider_error_code(exc) or "unknown")
        await self._record_error(job, exc, FAILED, "sms_send_failed")

    async def _record_error(
        self, job: SmsJob, exc: AppError, status: str, event: str, **details: object
    ) -> None:
        error_code = provider_error_code(exc)
        logger.warning(
            event,
            verification_id=str(job.verification_id),
            phone=mask_phone(job.phone),
            provider=self.verifier.name,
            error=exc.detail,
            error_code=error_code,
            **details,
        )
        await self._record(job, Delivery(provider_ref=None, status=status), error_code=error_code)

    async def _record(self, job: SmsJob, delivery: Delivery, *, error_code: str | None) -> None:
        async with UnitOfWork(self._session_factory) as uow:
            record = await uow.verifications.get(job.verification_id)
            if record is None:  # its transaction rolled back after the job was handed over
                logger.warning("sms_verification_missing", verification_id=str(job.verification_id))
                return
            record.provider_ref = delivery.provider_ref or record.provider_ref
            record.delivery_status = delivery.status
            record.delivery_status_at = utcnow()
            record.delivery_error_code = error_code


class InProcessSmsSender:
    """Sends a job's text from this process, retrying provider outages with backoff as the
    worker does, while the code is still valid; each try that meets an outage is recorded.

    The first try runs where `start` is awaited (a background task, after the response); each
    retry waits as a job of the application (`BackgroundJobs`), never inside a request.
    """

    def __init__(
        self, jobs: BackgroundJobs, delivery: SmsDelivery, *, retry_delays_seconds: Sequence[float]
    ) -> None:
        self._jobs = jobs
        self._delivery = delivery
        self._retry_delays = retry_delays_seconds

    @property
    def delivery(self) -> SmsDelivery:
        return self._delivery

    async def start(self, job: SmsJob) -> None:
        await self._try(job, attempt=1)

    async def _try(self, job: SmsJob, *, attempt: int) -> None:
        outcome = await self._delivery.attempt(
            job, attempt=attempt, retry_delays_seconds=self._retry_delays
        )
        if outcome.retry_in_seconds is not None:
            self._jobs.start(self._retry(job, attempt=attempt + 1, delay=outcome.retry_in_seconds))

    async def _retry(self, job: SmsJob, *, attempt: int, delay: float) -> None:
        await asyncio.sleep(delay)
        await self._try(job, attempt=attempt)
