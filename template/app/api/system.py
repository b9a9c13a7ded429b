"""Unversioned operational endpoints: health and probes."""

import asyncio
from collections.abc import Awaitable

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from redis.asyncio import Redis

from app import __version__
from app.api.deps import DatabaseDep, ResourcesDep, SettingsDep
from app.api.responses import problem
from app.core.problems import problem_response
from app.core.redis import redis_is_available
from app.db.health import database_status
from app.db.migrate import code_head_revisions
from app.schemas.system import HealthPublic, LivePublic, ReadyPublic

system_router = APIRouter(tags=["system"])


def include_probes(app: FastAPI) -> None:
    """The probes as the app's own routes, first in line: an included router's routes are
    matched through one more layer, each route ahead of them (the docs pages) costs a match,
    and every kubelet calls them every few seconds (docs/performance.md)."""
    app.router.routes[:0] = system_router.routes


# The liveness answer never changes: encoded once, not validated and serialized per probe.
LIVE_BODY = LivePublic(status="ok").model_dump_json().encode()


@system_router.get("/live", response_model=LivePublic)
async def read_live() -> Response:
    """Kubernetes liveness probe: answers while the event loop runs; checks no dependency."""
    return Response(LIVE_BODY, media_type="application/json")


@system_router.get("/health")
async def read_health() -> HealthPublic:
    """Basic service status: the process is up and which version it runs."""
    return HealthPublic(status="ok", version=__version__)


@system_router.get(
    "/ready",
    response_model=ReadyPublic,
    responses=problem(503, "A dependency did not answer in time; `checks` says which"),
)
async def read_ready(
    request: Request, settings: SettingsDep, database: DatabaseDep, resources: ResourcesDep
) -> ReadyPublic | JSONResponse:
    """Kubernetes readiness probe: 200 when the database (at the code's migrations) and Redis
    answer in time, else 503."""
    checks: dict[str, Awaitable[str]] = {
        "database": database_status(
            database.engine,
            expected_revisions=code_head_revisions(),
            timeout_seconds=settings.database_health_timeout_seconds,
        )
    }
    if resources.redis is not None:
        checks["redis"] = _redis_status(resources.redis, settings.redis_timeout_seconds)
    # Side by side, so the probe waits for the slowest check, not for their sum.
    results = dict(zip(checks, await asyncio.gather(*checks.values()), strict=True))
    if all(status == "ok" for status in results.values()):
        return ReadyPublic(status="ok", checks=dict.fromkeys(results, "ok"))
    silent = [name for name, status in results.items() if status == "unavailable"]
    reasons = [f"Did not answer: {', '.join(silent)}"] if silent else []
    if results["database"] == "migrations pending":
        reasons.append("Database migrations pending (run `alembic upgrade head`)")
    return problem_response(
        request,
        status=503,
        code="not-ready",
        title="Service not ready",
        detail="; ".join(reasons),
        checks=results,
    )


async def _redis_status(redis: Redis, timeout_seconds: float) -> str:
    return (
        "ok" if await redis_is_available(redis, timeout_seconds=timeout_seconds) else "unavailable"
    )
