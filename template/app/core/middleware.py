"""Pure ASGI middleware (no BaseHTTPMiddleware, so the per-request cost stays small)."""

import time

import structlog
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.body_limit import (
    BodySizeLimitMiddleware,
    RequestBodyTooLargeError,
    handle_body_too_large,
)
from app.core.config import Settings
from app.core.request_id import RequestIdMiddleware

logger = structlog.get_logger("app.request")

# Probes and scrapes run every few seconds; logging them drowns the useful lines.
QUIET_PATHS = frozenset({"/live", "/ready", "/health", "/metrics"})


class RequestLoggingMiddleware:
    """One structured line per request: method, path, status and duration."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in QUIET_PATHS:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            logger.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )


def install_middleware(app: FastAPI, settings: Settings) -> None:
    """Added innermost first: the request id wraps everything, logging sees it."""
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_body_bytes)
    app.add_exception_handler(RequestBodyTooLargeError, handle_body_too_large)
    app.add_middleware(RequestLoggingMiddleware)
    if settings.cors_allow_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_allow_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID"],
        )
    app.add_middleware(RequestIdMiddleware)
