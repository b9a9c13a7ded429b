"""Application factory. Run with `uvicorn app.main:create_app --factory`."""

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from app.core.config import Settings


def create_app(settings: "Settings | None" = None) -> "FastAPI":
    """The service, built with `settings` (read from the environment when None).

    The collector is paused while the service is imported and built: that makes the objects
    of every module, model and route, which all live as long as the process, so each
    collection it would run meanwhile walks them and frees nothing (docs/performance.md).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        from app.application import build_app

        return build_app(settings)
    finally:
        if collecting:
            gc.enable()
