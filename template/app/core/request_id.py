"""The request id: the client's X-Request-ID when it is safe, else a generated one.

It is set in `correlation_id` (logs, problem bodies and Sentry read it there) and echoed in
the answer's X-Request-ID header. Pure ASGI and byte-level: it runs on every request, probes
included, so it decodes one header at most and builds no header objects.
"""

import os
import re

from asgi_correlation_id import correlation_id
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = b"x-request-id"
# Ingresses and clients send ids of their own (not only UUIDs); one that could break a log
# line or a header is replaced by a generated id, and only the generated one is logged.
SAFE_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")


def _generated() -> bytes:
    # 128 random bits as 32 hex digits: a UUID4's randomness, without building a UUID
    # (a quarter of the cost, on every request).
    return os.urandom(16).hex().encode()


def _request_id(headers: list[tuple[bytes, bytes]]) -> bytes:
    for name, value in headers:
        if name == HEADER:
            return value if SAFE_REQUEST_ID.fullmatch(value) else _generated()
    return _generated()


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope["headers"])
        correlation_id.set(request_id.decode())
        echoed = (HEADER, request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                # A new list: the response may own (and reuse) the one it sent.
                message["headers"] = [*message.get("headers", ()), echoed]
            await send(message)

        await self.app(scope, receive, send_with_id)
