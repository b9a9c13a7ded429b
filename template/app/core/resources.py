"""Process-wide resources (connection pools, clients), opened and closed by the lifespan."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

import httpx

from app.core.config import Settings


@dataclass(frozen=True, slots=True)
class Resources:
    """What request handlers share; reached through the dependencies in `app.api.deps`."""

    http: httpx.AsyncClient


@asynccontextmanager
async def open_resources(settings: Settings) -> AsyncIterator[Resources]:
    async with AsyncExitStack() as stack:
        http = await stack.enter_async_context(
            httpx.AsyncClient(timeout=settings.external_timeout_seconds)
        )
        yield Resources(http=http)
