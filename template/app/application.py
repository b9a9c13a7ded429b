"""The service as one FastAPI app: its lifespan, middleware, routes and extensions.

`app.main.create_app` builds it; nothing else imports this module.
"""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import __version__
from app.api.docs_pages import install_docs_pages
from app.api.openapi import DESCRIPTION, SWAGGER_UI_PARAMETERS, TAGS, install_openapi
from app.api.router import include_api
from app.api.state import configure, store_resources
from app.api.system import include_probes
from app.bootstrap import install_extensions, open_resources
from app.core.config import Settings, get_settings
from app.core.logging import configure_logging
from app.core.middleware import install_middleware
from app.core.problems import install_problem_handlers


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Owns the process-wide resources: opened before the first request, closed at shutdown."""
    async with open_resources(app) as resources:
        store_resources(app, resources)
        # What start-up built (modules, models, routes: about 200,000 objects) lives as long
        # as the process: out of the collector's reach, it is not traversed again by every
        # full collection that a request's garbage triggers. Once per process (tests start
        # many apps).
        if not gc.get_freeze_count():
            gc.collect()
            gc.freeze()
        yield


def build_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(
        level=settings.log_level,
        json=settings.log_json,
        redact=settings.app_env != "development",
    )
    app = FastAPI(
        title=settings.project_name,
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        swagger_ui_parameters=SWAGGER_UI_PARAMETERS,
        lifespan=lifespan,
        # Off in production unless API_DOCS_ENABLED: the pages and the schema map every route.
        openapi_url="/openapi.json" if settings.api_docs_enabled else None,
        # app.api.docs_pages serves them, with their assets from the service itself.
        docs_url=None,
        redoc_url=None,
    )
    configure(app, settings)
    install_problem_handlers(app)
    install_middleware(app, settings)
    include_probes(app)
    include_api(app)
    install_extensions(app, settings)
    install_openapi(app)
    install_docs_pages(app)
    return app
