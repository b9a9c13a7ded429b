"""Sending one verification text and recording what the provider said on its verification.

Every dispatcher (in this process, or the Celery worker) sends through `SmsDelivery.attempt`,
so each try is written, logged, counted and recorded alike, on one retry policy.
"""

from dataclasses import dataclass

import structlog

from app.core.business_metrics import NO_BUSINESS_METRICS, BusinessMetrics, CodeOutcome
from app.core.config import Settings
from app.core.errors import AppError, DestinationRefusedError, ExternalServiceError
from app.crud.uow import UnitOfWork
from app.db.session import SessionFactory
from app.db.types import utcnow
from app.integrations.phone.base import CodeVerifier, Delivery, PhoneProvider
from app.integrations.phone.messages import TextWriter
from app.integrations.phone.twilio_errors import provider_error_code
from app.models import VerificationChannel
from app.services.sms.job import SmsJob
from app.services.sms.retry import RetryPolicy
from app.utils.phone import mask_phone

logger = structlog.get_logger(__name__)

FAILED = "failed"
# Recorded after each try that met a provider outage while another try is still to come.
RETRYING = "retrying"


@dataclass(frozen=True, slots=True)
class SmsTry:
    """What one try of a text recorded, and the wait before the next when it met an outage."""

    status: str | None
    retry_in_seconds: float | None = None


class SmsDelivery:
    """Sends one job's text and records the outcome on its verification record."""

    def __init__(
        self,
        provider: PhoneProvider,
        session_factory: SessionFactory,
        *,
        retry: RetryPolicy,
        texts: TextWriter,
        metrics: BusinessMetrics = NO_BUSINESS_METRICS,
    ) -> None:
        self.provider = provider
        self._session_factory = session_factory
        self._retry = retry
        self._texts = texts
        self._metrics = metrics

    async def __call__(self, job: SmsJob, *, raise_outages: bool = False) -> str | None:
        """Returns the delivery status recorded. Failures are logged and recorded, except
        provider outages when `raise_outages` is set: the caller (`attempt`, with a try left)
        tries again later.
        """
        try:
            delivery = await self._send(job)
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
            phone=mask_phone(job.to),
            provider=self.provider.name,
            provider_ref=delivery.provider_ref,
            status=delivery.status,
        )
        await self._record(job, delivery, error_code=None)
        return delivery.status

    async def _send(self, job: SmsJob) -> Delivery:
        if isinstance(self.provider, CodeVerifier):
            return await self.provider.start(job.to, locale=job.locale)
        if job.code is None:  # queued for a provider that generates its codes, then switched
            raise ValueError("A text sender sends the service's own codes")
        # Written here, so a text sender only carries it.
        text = self._texts.write(
            job.to, job.purpose, code=job.code, locale=job.locale, account_exists=job.account_exists
        )
        return await self.provider.send(text)

    async def attempt(self, job: SmsJob, *, attempt: int) -> SmsTry:
        """Try `attempt` (from 1) of the text. An outage with a try left is logged
        (`sms_send_retry`) and recorded as retrying, and the caller waits `retry_in_seconds`;
        on the last try it is the job's failure (`sms_send_failed`)."""
        delay = self._retry.delay_after(job, attempt)
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
        self._metrics.verification_code_sent(VerificationChannel.SMS, self.provider.name, outcome)

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
            phone=mask_phone(job.to),
            provider=self.provider.name,
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


def create_sms_delivery(
    settings: Settings,
    provider: PhoneProvider,
    session_factory: SessionFactory,
    *,
    metrics: BusinessMetrics = NO_BUSINESS_METRICS,
) -> SmsDelivery:
    """The delivery the web process sends through, and each worker process."""
    return SmsDelivery(
        provider,
        session_factory,
        retry=RetryPolicy(settings.sms_retry_delays_seconds),
        texts=TextWriter(settings.project_name, settings.verification_code_ttl_seconds),
        metrics=metrics,
    )
