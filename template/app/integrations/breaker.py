"""Circuit breakers for external services: after repeated failures, fail fast for a while.

A provider outage then costs each request one quick 503 instead of a full timeout, and the
provider gets room to recover. State is per process (in memory), like the connection pools.
"""

import math
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Literal

import structlog
from purgatory import AsyncCircuitBreakerFactory
from purgatory.domain.messages import Event
from purgatory.domain.model import OpenedState

from app.core.errors import AppError, ExternalServiceError

logger = structlog.get_logger(__name__)

BreakerEvent = Literal["circuit_breaker_created", "state_changed", "failed", "recovered"]


def is_client_error(exc: BaseException) -> bool:
    """The request was wrong (an invalid number), not the service: no sign of an outage."""
    return isinstance(exc, AppError) and exc.status < 500


class CircuitBreaker:
    """Guards the calls to one service: `async with breaker.guard(): await call()`.

    Every exception raised in the block counts as a failure, except those `healthy` accepts
    as answers of a working service (by default: errors with a status below 500).
    """

    def __init__(
        self,
        service: str,
        *,
        failure_threshold: int,
        reset_seconds: float,
        healthy: Callable[[BaseException], bool] = is_client_error,
    ) -> None:
        self.service = service
        self._reset_seconds = reset_seconds
        self._factory = AsyncCircuitBreakerFactory(
            default_threshold=failure_threshold,
            default_ttl=reset_seconds,
            exclude=[(BaseException, healthy)],
        )
        self._factory.add_listener(self._log_state_change)

    @asynccontextmanager
    async def guard(self) -> AsyncIterator[None]:
        breaker = await self._factory.get_breaker(self.service)
        try:
            async with breaker:
                yield
        except OpenedState as exc:
            raise ExternalServiceError(
                self.service,
                f"{self.service} is unavailable; try again in a moment",
                retry_after_seconds=math.ceil(exc.opened_at + self._reset_seconds - time.time()),
            ) from exc

    async def state(self) -> str:
        """closed, opened or half-opened."""
        breaker = await self._factory.get_breaker(self.service)
        return breaker.context.state

    def _log_state_change(self, name: str, event_name: BreakerEvent, event: Event) -> None:
        if event_name == "state_changed":
            state = getattr(event, "state", None)
            log = logger.warning if state == "opened" else logger.info
            log("circuit_breaker_state_changed", service=name, state=state)
