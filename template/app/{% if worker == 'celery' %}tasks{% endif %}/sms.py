"""Verification texts sent by the worker, retried while the provider is down.

Each try goes through `SmsDelivery.attempt`, as in-process sends do: the same retry policy
(SMS_RETRY_DELAYS_SECONDS, never past the code's expiry) and the same log lines
(`sms_send_retry`, then `sms_send_failed`, with the verification id). Celery only waits
between the tries.
"""

from typing import Any

import structlog
from celery import Task, shared_task
from cryptography.fernet import InvalidToken

from app.core.config import get_settings
from app.services.sms.queue import SEND_SMS_TASK
from app.services.sms.sealed import code_seal, open_job
from app.tasks.worker_process import worker_process

logger = structlog.get_logger(__name__)


# task_acks_late (set in app/tasks/factory.py) may run a job twice after a crash: a second
# text with the same code is harmless. No max_retries: the retry policy and the code's
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
    process = worker_process()
    outcome = process.run(process.sms.attempt(job, attempt=self.request.retries + 1))
    if outcome.retry_in_seconds is not None:
        raise self.retry(countdown=outcome.retry_in_seconds)
    return outcome.status
