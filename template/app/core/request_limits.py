"""Limits on what one request may cost, answered before anything parses it.

Pure ASGI, in one layer:
- more header lines than MAX_REQUEST_HEADERS, or more header bytes than
  MAX_REQUEST_HEADER_BYTES: 431, before any route runs;
- a declared `Content-Length` over MAX_REQUEST_BODY_BYTES: 413 without reading a byte; a
  chunked body is counted while it streams in and refused once it passes the limit, so no
  more than the limit (plus one chunk) is ever held in memory;
- a body still not complete REQUEST_BODY_TIMEOUT_SECONDS after the request arrived: 408, and
  the connection is closed, so a client trickling a body cannot hold a worker task forever.
"""

import asyncio
from http import HTTPStatus

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.problems import problem_response

HTTP_1 = frozenset({"1.0", "1.1"})

# Problem type and title by status; the detail says which limit and its value.
PROBLEMS = {
    HTTPStatus.REQUEST_TIMEOUT: ("request-timeout", "Request timeout"),
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE: ("content-too-large", "Content too large"),
    HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE: (
        "request-header-fields-too-large",
        "Request header fields too large",
    ),
}


class RequestLimitError(HTTPException):
    """Raised from `receive`: FastAPI passes HTTPExceptions from body reading through."""

    def __init__(self, status: HTTPStatus, detail: str) -> None:
        # After a 408 the rest of the body may still arrive: it must not be read as a request.
        headers = {"Connection": "close"} if status == HTTPStatus.REQUEST_TIMEOUT else None
        super().__init__(status_code=status, detail=detail, headers=headers)


def limit_response(request: Request, error: RequestLimitError) -> JSONResponse:
    code, title = PROBLEMS[HTTPStatus(error.status_code)]
    return problem_response(
        request,
        status=error.status_code,
        code=code,
        title=title,
        detail=str(error.detail),
        headers=error.headers,
    )


async def handle_request_limit(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestLimitError)  # noqa: S101 - registered for it only
    return limit_response(request, exc)


class RequestLimitsMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_headers: int,
        max_header_bytes: int,
        max_body_bytes: int,
        body_timeout_seconds: float,
    ) -> None:
        self.app = app
        self.max_headers = max_headers
        self.max_header_bytes = max_header_bytes
        self.max_body_bytes = max_body_bytes
        self.body_timeout_seconds = body_timeout_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared, chunked = _declared_body(scope)
        error = self._refused_headers(scope["headers"])
        if error is None and declared is not None and declared > self.max_body_bytes:
            error = self._too_large()
        if error is not None:
            await limit_response(Request(scope), error)(scope, receive, send)
            return
        if not chunked and not declared and scope.get("http_version", "1.1") in HTTP_1:
            # An HTTP/1 request without a length or with a zero one has no body: no limit to
            # apply while it is read.
            await self.app(scope, receive, send)
            return
        deadline = asyncio.get_running_loop().time() + self.body_timeout_seconds
        received = 0
        complete = False

        async def limited_receive() -> Message:
            nonlocal received, complete
            if complete:  # after the body, receive() only waits for a disconnect
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise RequestLimitError(
                    HTTPStatus.REQUEST_TIMEOUT,
                    f"The request body was not complete within {self.body_timeout_seconds:g} s",
                ) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                complete = not message.get("more_body", False)
                if received > self.max_body_bytes:
                    raise self._too_large()
            return message

        await self.app(scope, limited_receive, send)

    def _refused_headers(self, headers: list[tuple[bytes, bytes]]) -> RequestLimitError | None:
        if len(headers) > self.max_headers:
            return RequestLimitError(
                HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                f"The request has {len(headers)} header lines; at most {self.max_headers} "
                "are accepted",
            )
        size = sum(len(name) + len(value) for name, value in headers)
        if size > self.max_header_bytes:
            return RequestLimitError(
                HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                f"The request's headers exceed {self.max_header_bytes} bytes",
            )
        return None

    def _too_large(self) -> RequestLimitError:
        return RequestLimitError(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            f"The request body exceeds {self.max_body_bytes} bytes",
        )


def _declared_body(scope: Scope) -> tuple[int | None, bool]:
    """The declared Content-Length (None: none, or malformed) and whether it is chunked."""
    declared: int | None = None
    chunked = False
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                declared = int(value)
            except ValueError:
                declared = None  # the server refuses a malformed length itself
        elif name == b"transfer-encoding":
            chunked = True
    return declared, chunked
