"""What one worker process holds for its tasks: an event loop, the database engine, the HTTP
client Twilio is called with, and the SMS delivery built on them.

The first task a process runs opens them (a prefork pool's parent runs none, so each child
opens its own after the fork); they are closed when the process stops. Every task of the
process runs on the one loop, so connections and the circuit breaker's state outlive tasks.
"""

import asyncio
from collections.abc import Coroutine
from contextlib import AsyncExitStack
from typing import Any

import httpx
from celery.signals import worker_process_shutdown, worker_shutdown

from app.core.config import Settings, get_settings
from app.db.session import open_database
from app.integrations.phone.factory import create_phone_provider
from app.services.sms.delivery import SmsDelivery, create_sms_delivery


def open_http_client(settings: Settings) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=settings.external_timeout_seconds)


class WorkerProcess:
    def __init__(self, settings: Settings) -> None:
        self._loop = asyncio.new_event_loop()
        self._stack = AsyncExitStack()
        self.sms = self.run(self._open(settings))

    async def _open(self, settings: Settings) -> SmsDelivery:
        http = await self._stack.enter_async_context(open_http_client(settings))
        database = await self._stack.enter_async_context(open_database(settings))
        provider = create_phone_provider(settings, http)
        return create_sms_delivery(settings, provider, database.session_factory)

    def run[T](self, work: Coroutine[Any, Any, T]) -> T:
        """Runs `work` on the process's loop (tasks of one process never run at once)."""
        return self._loop.run_until_complete(work)

    def close(self) -> None:
        self.run(self._stack.aclose())
        self._loop.close()


_current: WorkerProcess | None = None


def worker_process() -> WorkerProcess:
    """This process's resources, opened by the first task that asks."""
    global _current
    if _current is None:
        _current = WorkerProcess(get_settings())
    return _current


# A pool's child stops with worker_process_shutdown, a solo worker with worker_shutdown.
@worker_process_shutdown.connect
@worker_shutdown.connect
def close_worker_process(**_: object) -> None:
    global _current
    if _current is not None:
        _current.close()
        _current = None
