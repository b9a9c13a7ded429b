"""Verification texts sent by the worker, retried while the provider is down.

The retries follow SMS_RETRY_DELAYS_SECONDS and log as in-process sends do (`sms_send_retry`,
then `sms_send_failed`, with the verification id): Celery only waits between the tries.
"""

import asyncio
from functools import cache
from typing import Any

import httpx
import structlog
from celery import Task, shared_task
from cryptography.fernet import InvalidToken

from app.core.config import Settings, get_settings
from app.db.session import open_database
from app.integrations.breaker import CircuitBreaker
from app.integrations.phone.factory import create_phone_verifier, create_twilio_breaker
from app.services.sms_delivery import SmsDelivery, SmsJob, SmsTry
from app.tasks.sealed_codes import code_seal, open_job

SEND_SMS_TASK = "app.tasks.send_verification_sms"

logger = structlog.get_logger(__name__)


@cache
def worker_twilio_breaker() -> CircuitBreaker:
    """One per worker process: each task runs its own event loop, the breaker outlives them."""
    return create_twilio_breaker(get_settings())


def open_http_client(settings: Settings) -> httpx.AsyncClient:
    """The client a task calls Twilio with (one per task: each runs its own event loop)."""
    return httpx.AsyncClient(timeout=settings.external_timeout_seconds)


async def deliver(job: SmsJob, *, attempt: int) -> SmsTry:
    settings = get_settings()
    async with open_http_client(settings) as http, open_database(settings) as database:
        verifier = create_phone_verifier(settings, http, worker_twilio_breaker())
        delivery = SmsDelivery(verifier, database.session_factory)
        return await delivery.attempt(
            job, attempt=attempt, retry_delays_seconds=settings.sms_retry_delays_seconds
        )


# task_acks_late (set in app/tasks/factory.py) may run a job twice after a crash: a second
# text with the same code is harmless. No max_retries: the schedule's length and the code's
# expiry bound it.
@shared_task(name=SEND_SMS_TASK, bind=True, max_retries=None)
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
    outcome = asyncio.run(deliver(job, attempt=self.request.retries + 1))
    if outcome.retry_in_seconds is not None:
        raise self.retry(countdown=outcome.retry_in_seconds)
    return outcome.status
