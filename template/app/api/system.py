"""Unversioned operational endpoints: health and probes."""

from fastapi import APIRouter

from app import __version__
from app.schemas.system import HealthPublic, LivePublic

system_router = APIRouter(tags=["system"])


@system_router.get("/health")
async def read_health() -> HealthPublic:
    """Basic service status: the process is up and which version it runs."""
    return HealthPublic(status="ok", version=__version__)


@system_router.get("/live")
async def read_live() -> LivePublic:
    """Kubernetes liveness probe: answers while the event loop runs; checks no dependency."""
    return LivePublic(status="ok")
