"""One ASGI layer for what every request needs observed: its id, its log line, its metrics
(and the fixed headers every answer carries, which cost nothing more added here).

One layer, not one per concern: each pure-ASGI layer costs an await chain and a send wrapper
on every message (docs/performance.md).
The layer sets the request id and times the request; observers (the request log, and
Prometheus where it is installed) then read the outcome.
"""

import time
from collections.abc import Awaitable, Callable, Sequence

from asgi_correlation_id import correlation_id
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.request_id import HEADER, request_id_of

# (scope, status, seconds, name of the exception that escaped or None) -> None
RequestObserver = Callable[[Scope, int, float, str | None], None]


Headers = tuple[tuple[bytes, bytes], ...]


class ObservedRequestMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        observers: Sequence[RequestObserver],
        headers: Headers = (),
        page_headers: Headers = (),
        page_paths: frozenset[str] = frozenset(),
    ) -> None:
        self.app = app
        # The list itself, not a copy: extensions installed after this one add theirs.
        self.observers = observers
        # Added to every answer; answers on `page_paths` (HTML pages) get `page_headers`.
        self.headers = headers
        self.page_headers = page_headers
        self.page_paths = page_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                correlation_id.set(request_id_of(scope["headers"]).decode())
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope["headers"])
        correlation_id.set(request_id.decode())
        echoed = (HEADER, request_id)
        fixed = self.page_headers if scope["path"] in self.page_paths else self.headers
        started = time.perf_counter()
        status = 500
        exception: str | None = None

        # Not a coroutine function: it hands back `send`'s own awaitable, so each message
        # the response sends resumes one frame fewer.
        def send_observed(message: Message) -> Awaitable[None]:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # A new list: the response may own (and reuse) the one it sent.
                message["headers"] = [*message.get("headers", ()), echoed, *fixed]
            return send(message)

        try:
            await self.app(scope, receive, send_observed)
        except Exception as exc:
            exception = type(exc).__name__
            raise
        finally:
            seconds = time.perf_counter() - started
            for observe in self.observers:
                observe(scope, status, seconds, exception)
