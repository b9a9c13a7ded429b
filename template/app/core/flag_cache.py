"""The run-time flag overrides of this process, re-read from the database after a short TTL.

Every instance reads the overrides at most once per FEATURE_FLAGS_CACHE_TTL_SECONDS, so a
change reaches all of them within that time without a restart, for one small query per
instance per TTL. When the read fails, requests go on with the overrides last read (none
before the first read: the configured defaults); flags never turn a request into an error.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping

import structlog

from app.core.flags import Flag, FlagOverride

logger = structlog.get_logger(__name__)

Overrides = Mapping[Flag, FlagOverride]


class FlagOverrideCache:
    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._overrides: Overrides = {}
        self._fresh_until = float("-inf")
        self._lock = asyncio.Lock()

    async def get(self, load: Callable[[], Awaitable[Overrides]]) -> Overrides:
        if self._clock() < self._fresh_until:
            return self._overrides
        async with self._lock:  # one read per expiry, however many requests wait for it
            if self._clock() < self._fresh_until:
                return self._overrides
            try:
                self._overrides = await load()
            except Exception as error:  # any failure of the store: keep serving requests
                logger.warning(
                    "feature_flags.overrides_unavailable",
                    error=type(error).__name__,
                    kept=len(self._overrides),
                )
            # Also after a failure: retry after the TTL, not on every request.
            self._fresh_until = self._clock() + self._ttl
            return self._overrides

    def invalidate(self) -> None:
        """This instance reads again on its next request (after its own change)."""
        self._fresh_until = float("-inf")
