"""Work that outlives the request that started it, owned by the application's lifespan.

FastAPI's background tasks run inside the request's ASGI call, so a slow one (a text retried
for a minute) would hold the connection's next request; these run as their own tasks, and
the lifespan cancels whatever is left when the application stops.
"""

import asyncio
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, Self


class BackgroundJobs:
    def __init__(self) -> None:
        # Strong references: the event loop keeps only weak ones to running tasks.
        self._tasks: set[asyncio.Task[Any]] = set()

    def start(self, job: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.create_task(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait(self) -> None:
        """Until every job started so far has finished (tests, graceful drains)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
