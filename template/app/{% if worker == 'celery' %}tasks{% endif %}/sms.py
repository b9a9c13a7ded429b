"""Verification texts sent by the worker, retried with backoff while the provider is down."""

import asyncio
from collections.abc import Callable
from functools import cache
from typing import Any

import httpx
from celery import Celery, Task, shared_task
from fastapi import BackgroundTasks

from app.core.config import get_settings
from app.core.errors import ExternalServiceError
from app.db.session import open_database
from app.integrations.breaker import CircuitBreaker
from app.integrations.phone.dispatch import SmsDelivery, SmsJob
from app.integrations.phone.factory import create_phone_verifier, create_twilio_breaker

SEND_SMS_TASK = "app.tasks.send_verification_sms"
MAX_RETRIES = 5
# 5, 10, 20, 40, 60 s: the last try still lands well inside a code's 10 minutes (a job that
# waits in the queue past the code's expiry is dropped: see CelerySmsDispatcher).
RETRY_BASE_SECONDS = 5
RETRY_MAX_SECONDS = 60


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
    job = SmsJob.from_payload(payload)
    retries = self.request.retries
    try:
        # The last try records the outage on the verification instead of raising it.
        return asyncio.run(deliver(job, raise_outages=retries < MAX_RETRIES))
    except ExternalServiceError as exc:
        raise self.retry(exc=exc, countdown=retry_countdown(retries)) from exc


class CelerySmsDispatcher:
    """Queues the text for the worker once the response is out, so after the commit: the
    worker never looks for a verification that is not there yet.
    """

    def __init__(
        self,
        celery_app: Celery,
        background_tasks: BackgroundTasks,
        *,
        on_queued: Callable[[], None] = lambda: None,
    ) -> None:
        self._celery_app = celery_app
        self._background_tasks = background_tasks
        self._on_queued = on_queued  # counts the text: the worker's answer is counted nowhere

    async def dispatch(self, job: SmsJob) -> None:
        # A sync call (the broker client blocks): Starlette runs it in its thread pool.
        self._background_tasks.add_task(
            self._celery_app.send_task,
            SEND_SMS_TASK,
            args=[job.to_payload()],
            # A worker drops the job, retries included, once the code has expired.
            expires=job.expires_at,
            # What monitoring (events, Flower) shows instead of the arguments: no code, no number.
            argsrepr=repr((job,)),
        )
        self._on_queued()
