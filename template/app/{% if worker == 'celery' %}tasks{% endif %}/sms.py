"""Verification texts sent by the worker, retried with backoff while the provider is down."""

import asyncio
from functools import cache
from typing import Any

import httpx
import structlog
from celery import Task, shared_task
from cryptography.fernet import InvalidToken

from app.core.config import get_settings
from app.core.errors import ExternalServiceError
from app.db.session import open_database
from app.integrations.breaker import CircuitBreaker
from app.integrations.phone.factory import create_phone_verifier, create_twilio_breaker
from app.services.sms_delivery import SmsDelivery, SmsJob
from app.tasks.sealed_codes import code_seal, open_job

SEND_SMS_TASK = "app.tasks.send_verification_sms"
MAX_RETRIES = 5
# 5, 10, 20, 40, 60 s: the last try still lands well inside a code's 10 minutes (a job that
# waits in the queue past the code's expiry is dropped: see app/api/sms_dispatch.py).
RETRY_BASE_SECONDS = 5
RETRY_MAX_SECONDS = 60

logger = structlog.get_logger(__name__)


def retry_countdown(retries: int) -> int:
    return int(min(RETRY_BASE_SECONDS * 2**retries, RETRY_MAX_SECONDS))


@cache
def worker_twilio_breaker() -> CircuitBreaker:
    """One per worker process: each task runs its own event loop, the breaker outlives them."""
    return create_twilio_breaker(get_settings())


async def deliver(job: SmsJob, *, raise_outages: bool) -> str | None:
    settings = get_settings()
    async with (
        httpx.AsyncClient(timeout=settings.external_timeout_seconds) as http,
        open_database(settings) as database,
    ):
        verifier = create_phone_verifier(settings, http, worker_twilio_breaker())
        delivery = SmsDelivery(verifier, database.session_factory)
        return await delivery(job, raise_outages=raise_outages)


# acks_late (the app's default) may run a job twice after a crash: a second text with the
# same code is harmless.
@shared_task(name=SEND_SMS_TASK, bind=True, max_retries=MAX_RETRIES)
def send_verification_sms(
    self: Task[[dict[str, Any]], str | None], payload: dict[str, Any]
) -> str | None:
    """Send one verification text; returns the delivery status recorded."""
    try:
        job = open_job(payload, code_seal(get_settings().secret_key.get_secret_value()))
    except InvalidToken:
        # Sealed under another SECRET_KEY (rotated since it was queued): a retry cannot help.
        logger.warning("sms_job_unreadable", verification_id=payload.get("verification_id"))
        return None
    retries = self.request.retries
    try:
        # The last try records the outage on the verification instead of raising it.
        return asyncio.run(deliver(job, raise_outages=retries < MAX_RETRIES))
    except ExternalServiceError as exc:
        raise self.retry(exc=exc, countdown=retry_countdown(retries)) from exc
