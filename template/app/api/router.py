"""Each API version under its own prefix (URI versioning: /api/v1, /api/v2, ...)."""

from fastapi import FastAPI

from app.api.v1 import router as v1

VERSIONS = (v1,)


def include_api(app: FastAPI) -> None:
    """Includes every version's endpoint routers into the app itself, not through a router per
    version: FastAPI matches a nested router by walking it once more per level, on every API
    request (docs/performance.md)."""
    for version in VERSIONS:
        for router in version.ROUTERS:
            app.include_router(router, prefix=version.PREFIX)
