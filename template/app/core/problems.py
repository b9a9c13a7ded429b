"""RFC 9457 problem+json responses for every error the service can return."""

import re
import traceback
from collections.abc import Mapping
from functools import cache
from http import HTTPStatus
from typing import Any

import sqlalchemy.exc
import structlog
from asgi_correlation_id import correlation_id
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from app.core.app_settings import settings_of
from app.core.errors import AppError, DatabaseUnavailableError

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:problem-type:"

# What SQLAlchemy and the drivers raise when the database cannot be reached or does not answer
# in time (a connection refused, a connect or statement timeout, no free pooled connection).
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,
)

logger = structlog.get_logger(__name__)


def problem_response(
    request: Request,
    *,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_PREFIX + code,
        "title": title,
        "status": status,
        "detail": detail or title,
        "instance": request.url.path,
        "request_id": correlation_id.get(),
        **extensions,
    }
    headers = dict(headers or {})
    if status == HTTPStatus.SERVICE_UNAVAILABLE:
        # Every 503: clients and proxies back off by it; an open breaker sets its own
        # remaining open time when it knows better.
        headers.setdefault("Retry-After", str(settings_of(request.app).retry_after_seconds))
    return JSONResponse(
        jsonable_encoder(body), status_code=status, headers=headers, media_type=PROBLEM_CONTENT_TYPE
    )


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)  # noqa: S101 - registered for AppError only
    return problem_response(
        request,
        status=exc.status,
        code=exc.code,
        title=exc.title,
        detail=exc.detail,
        headers=exc.headers,
        **exc.extensions,
    )


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    # Refused, timed out or dropped: the database, not the request, failed. The message may
    # hold the URL, so it goes to the log only.
    logger.warning("database_unavailable", error_type=type(exc).__name__, error=str(exc))
    return await _app_error(request, DatabaseUnavailableError())


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    # Any other driver error: a dropped connection (a restarted server, a killed backend:
    # asyncpg reports some as plain PostgreSQL errors) is the database failing, and SQLAlchemy
    # has already discarded the pool's connections so the next request reconnects. Anything
    # else is a bug: raised on, to the unhandled-error handler (a 500, the log and Sentry).
    assert isinstance(exc, sqlalchemy.exc.DBAPIError)  # noqa: S101 - registered for it only
    if exc.connection_invalidated:
        return await _database_unavailable(request, exc)
    raise exc


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101 - registered for it only
    if isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI answers 400 for a JSON body that is not UTF-8; it is invalid input like
        # any other malformed body.
        return _invalid_body(request, "The body is not valid UTF-8")
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request, headers.get("Allow", ""))
    title = _reason(exc.status_code)
    return problem_response(
        request,
        status=exc.status_code,
        code=title.lower().replace(" ", "-"),
        title=title,
        detail=str(exc.detail),
        headers=headers,
    )


def _allowed_methods(request: Request, starlettes: str) -> str:
    """Every method of the path: Starlette names only those of the first route matching it."""
    methods = {method.strip() for method in starlettes.split(",") if method.strip()}
    root_path = request.scope.get("root_path", "")
    path = request.url.path.removeprefix(root_path) or "/"
    for route in iter_route_contexts(request.app.routes):
        if route.methods and route.path and _path_pattern(route.path).fullmatch(path):
            methods |= route.methods
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


@cache
def _path_pattern(template: str) -> re.Pattern[str]:
    pattern, _, _ = compile_path(template)
    return pattern


def _invalid_body(request: Request, message: str) -> JSONResponse:
    return _validation_failed(request, [{"loc": ["body"], "msg": message, "type": "json_invalid"}])


async def _request_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for it only
    errors = [
        {"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]}
        for error in exc.errors()
    ]
    return _validation_failed(request, errors)


def _validation_failed(request: Request, errors: list[dict[str, Any]]) -> JSONResponse:
    return problem_response(
        request,
        status=422,
        code="validation-failed",
        title="The request is not valid",
        detail="One or more fields are invalid; see `errors`.",
        errors=errors,
    )


async def _unhandled_error(request: Request, exc: Exception) -> JSONResponse:
    # The traceback goes to the log (and Sentry); to the client only with DEBUG, which
    # production refuses: a developer then sees it where the request failed.
    logger.exception("unhandled_error", path=request.url.path, error_type=type(exc).__name__)
    extensions: dict[str, Any] = {}
    if settings_of(request.app).debug:
        extensions["traceback"] = "".join(traceback.format_exception(exc)).splitlines()
    return problem_response(
        request, status=500, code="internal-error", title="Internal server error", **extensions
    )


def _reason(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    for database_failure in DATABASE_UNAVAILABLE:
        app.add_exception_handler(database_failure, _database_unavailable)
    app.add_exception_handler(sqlalchemy.exc.DBAPIError, _database_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _request_validation_error)
    app.add_exception_handler(Exception, _unhandled_error)
