"""Request bodies over a size limit are refused (413) before anything parses them.

Pure ASGI: a declared `Content-Length` over the limit is answered without reading a byte;
a chunked body is counted while it streams in and refused once it passes the limit, so no
more than the limit (plus one chunk) is ever held in memory.
"""

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.problems import problem_response

HTTP_1 = frozenset({"1.0", "1.1"})


class RequestBodyTooLargeError(HTTPException):
    """Raised from `receive`: FastAPI passes HTTPExceptions from body reading through."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(status_code=413, detail=f"The request body exceeds {max_bytes} bytes")


def body_too_large_response(request: Request, detail: str) -> JSONResponse:
    return problem_response(
        request, status=413, code="content-too-large", title="Content too large", detail=detail
    )


async def handle_body_too_large(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestBodyTooLargeError)  # noqa: S101 - registered for it only
    return body_too_large_response(request, str(exc.detail))


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared, chunked = _declared_body(scope)
        if declared is not None and declared > self.max_bytes:
            error = RequestBodyTooLargeError(self.max_bytes)
            response = body_too_large_response(Request(scope), str(error.detail))
            await response(scope, receive, send)
            return
        if not chunked and (declared is not None or scope.get("http_version", "1.1") in HTTP_1):
            # The server delivers no more than the declared length (an HTTP/1 request
            # without one has no body): nothing to count.
            await self.app(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise RequestBodyTooLargeError(self.max_bytes)
            return message

        await self.app(scope, limited_receive, send)


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
