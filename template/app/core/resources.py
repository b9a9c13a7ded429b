"""Process-wide resources (connection pools, clients), opened and closed by the lifespan."""

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

import httpx

from app.core.config import Settings
from app.db.session import Database, open_database


@dataclass(frozen=True, slots=True)
class Resources:
    """What request handlers share; reached through the dependencies in `app.api.deps`."""

    http: httpx.AsyncClient
    database: Database


@asynccontextmanager
async def open_resources(settings: Settings) -> AsyncIterator[Resources]:
    async with AsyncExitStack() as stack:
        http = await stack.enter_async_context(
            httpx.AsyncClient(timeout=settings.external_timeout_seconds)
        )
        database = await stack.enter_async_context(open_database(settings))
        yield Resources(http=http, database=database)
