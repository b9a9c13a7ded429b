"""A number's line type (mobile, landline, premium...) from Twilio Lookup v2, cached per number.

Each lookup is billed, and a number's line type rarely changes: an answer is kept for
SMS_LOOKUP_CACHE_SECONDS, in Redis when the service has one (shared by every process),
in this process's memory otherwise.
"""

import time

import httpx
import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from twilio.base.exceptions import TwilioRestException

from app.core.config import Settings
from app.core.errors import ExternalServiceError
from app.integrations.twilio_client import LazyTwilioClient
from app.utils.phone import mask_phone

# Cached for a number whose line type Lookup could not tell.
UNKNOWN = "unknown"

logger = structlog.get_logger(__name__)


class LineTypeLookup:
    def __init__(
        self, twilio: LazyTwilioClient, redis: Redis | None, *, key_prefix: str, ttl_seconds: int
    ) -> None:
        self._twilio = twilio
        self._redis = redis
        self._prefix = f"{key_prefix}line-type:"
        self._ttl = ttl_seconds
        self._memory: dict[str, tuple[str, float]] = {}

    async def line_type(self, phone: str) -> str | None:
        """Twilio's line type for `phone` ("mobile", "landline", "premium"...), "unknown" when
        Lookup cannot tell, None when Lookup (or Twilio) failed: nothing is cached then."""
        cached = await self._cached(phone)
        if cached is not None:
            return cached
        try:
            answer = await self._twilio.rest.lookups.v2.phone_numbers(phone).fetch_async(
                fields="line_type_intelligence"
            )
        except (TwilioRestException, ExternalServiceError) as exc:
            logger.warning("sms_lookup_failed", phone=mask_phone(phone), error=str(exc))
            return None
        # The SDK annotates the object Lookup answers as a string.
        intelligence: object = answer.line_type_intelligence
        found = intelligence.get("type") if isinstance(intelligence, dict) else None
        line_type = found if isinstance(found, str) and found else UNKNOWN
        await self._remember(phone, line_type)
        return line_type

    async def _cached(self, phone: str) -> str | None:
        if self._redis is None:
            value, until = self._memory.get(phone, (None, 0.0))
            return value if until > time.monotonic() else None
        try:
            stored = await self._redis.get(self._prefix + phone)
        except RedisError:
            return None  # a missed cache costs one lookup, not the request
        return stored.decode() if isinstance(stored, bytes) else stored

    async def _remember(self, phone: str, line_type: str) -> None:
        if self._redis is None:
            now = time.monotonic()
            self._memory = {key: entry for key, entry in self._memory.items() if entry[1] > now}
            self._memory[phone] = (line_type, now + self._ttl)
            return
        try:
            await self._redis.set(self._prefix + phone, line_type, ex=self._ttl)
        except RedisError:
            logger.warning("sms_lookup_not_cached", phone=mask_phone(phone))


def create_line_type_lookup(
    settings: Settings, http: httpx.AsyncClient, redis: Redis | None
) -> LineTypeLookup | None:
    """None unless SMS_LOOKUP_LINE_TYPE is on and texts really go out through Twilio."""
    if not settings.sms_lookup_line_type or settings.phone_verifier != "twilio":
        return None
    return LineTypeLookup(
        LazyTwilioClient(settings, http),
        redis,
        key_prefix=settings.redis_key_prefix,
        ttl_seconds=settings.sms_lookup_cache_seconds,
    )
