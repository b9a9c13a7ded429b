"""Pure ASGI middleware (no BaseHTTPMiddleware, so the per-request cost stays small)."""

import structlog
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.applications import Starlette
from starlette.types import Scope

from app.core.config import Settings
from app.core.request_limits import (
    RequestLimitError,
    RequestLimitsMiddleware,
    handle_request_limit,
)
from app.core.request_observation import ObservedRequestMiddleware, RequestObserver
from app.core.security_headers import DOCS_PATHS, api_headers, docs_headers

logger = structlog.get_logger("app.request")

# Probes and scrapes run every few seconds; logging them drowns the useful lines.
QUIET_PATHS = frozenset({"/live", "/ready", "/health", "/metrics"})


def log_request(scope: Scope, status: int, seconds: float, _: str | None) -> None:
    """One structured line per request: method, path, status and duration."""
    if scope["path"] not in QUIET_PATHS:
        logger.info(
            "request",
            method=scope["method"],
            path=scope["path"],
            status=status,
            duration_ms=round(seconds * 1000, 2),
        )


def install_middleware(app: FastAPI, settings: Settings) -> None:
    """Added innermost first: the observed request (its id, log line and metrics) wraps all."""
    app.add_middleware(
        RequestLimitsMiddleware,
        max_headers=settings.max_request_headers,
        max_header_bytes=settings.max_request_header_bytes,
        max_body_bytes=settings.max_request_body_bytes,
        body_timeout_seconds=settings.request_body_timeout_seconds,
    )
    app.add_exception_handler(RequestLimitError, handle_request_limit)
    if settings.cors_allow_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_allow_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID"],
        )
    # Extensions installed later (Prometheus) add theirs with add_request_observer.
    observers: list[RequestObserver] = [log_request]
    app.state.request_observers = observers
    app.add_middleware(
        ObservedRequestMiddleware,
        observers=observers,
        headers=api_headers(settings),
        page_headers=docs_headers(settings),
        page_paths=DOCS_PATHS if settings.api_docs_enabled else frozenset(),
    )


def add_request_observer(app: Starlette, observer: RequestObserver) -> None:
    """`observer` sees every request after those before it (the log line first)."""
    observers: list[RequestObserver] = app.state.request_observers
    observers.append(observer)
