"""How a text leaves: the dispatcher the application builds once, and the one that sends from
this process.

A request hands its job over only once its transaction has committed (`AfterCommit`: the
request's background tasks), so no dispatcher ever looks for a verification that is not
there yet, and a slow provider never holds the response.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol

from app.core.background import BackgroundJobs
from app.services.sms.delivery import SmsDelivery
from app.services.sms.job import SmsJob


class SmsDispatcher(Protocol):
    async def dispatch(self, job: SmsJob) -> None: ...


class AfterCommit(Protocol):
    """Runs a job once the request's transaction has committed (FastAPI's `BackgroundTasks`)."""

    def add_task(self, func: Callable[[SmsJob], Awaitable[None]], job: SmsJob, /) -> None: ...


class InProcessSmsDispatcher:
    """Sends from this process, retrying provider outages on the retry policy while the code
    is still valid. The first try runs where `dispatch` is awaited (after the response); each
    retry waits as a job of the application (`BackgroundJobs`), never inside a request.
    """

    def __init__(self, jobs: BackgroundJobs, delivery: SmsDelivery) -> None:
        self._jobs = jobs
        self._delivery = delivery

    async def dispatch(self, job: SmsJob) -> None:
        await self._try(job, attempt=1)

    async def _try(self, job: SmsJob, *, attempt: int) -> None:
        outcome = await self._delivery.attempt(job, attempt=attempt)
        if outcome.retry_in_seconds is not None:
            self._jobs.start(self._retry(job, attempt=attempt + 1, delay=outcome.retry_in_seconds))

    async def _retry(self, job: SmsJob, *, attempt: int, delay: float) -> None:
        await asyncio.sleep(delay)
        await self._try(job, attempt=attempt)
