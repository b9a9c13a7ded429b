"""The line-type lookup's cache and failures, Twilio Lookup answered at the HTTP boundary."""

import httpx
from redis.asyncio import Redis

from app.core.config import Settings
from app.integrations.phone.line_type import UNKNOWN, LineTypeLookup, create_line_type_lookup
from app.integrations.twilio_client import LazyTwilioClient
from tests.twilio_api import TwilioApi, twilio_error, twilio_settings

PHONE = "+14155550123"


def answered(kind: str | None) -> httpx.Response:
    return httpx.Response(200, json={"valid": True, "line_type_intelligence": {"type": kind}})


def lookup(settings: Settings, api: TwilioApi, redis: Redis | None = None) -> LineTypeLookup:
    twilio = LazyTwilioClient(twilio_settings(settings), api.http_client())
    return LineTypeLookup(twilio, redis, key_prefix=settings.redis_key_prefix, ttl_seconds=60)


async def test_without_redis_an_answer_is_kept_in_memory(settings: Settings) -> None:
    api = TwilioApi(answered("premium"), answered(None))
    line_types = lookup(settings, api)

    assert await line_types.line_type(PHONE) == "premium"
    assert await line_types.line_type(PHONE) == "premium"
    assert len(api.requests) == 1
    assert await line_types.line_type("+14155550124") == UNKNOWN


async def test_a_failed_lookup_is_not_remembered(settings: Settings) -> None:
    api = TwilioApi(twilio_error(500, 20500), answered("mobile"))
    line_types = lookup(settings, api)

    assert await line_types.line_type(PHONE) is None
    assert await line_types.line_type(PHONE) == "mobile"
    assert len(api.requests) == 2


async def test_an_unreachable_redis_costs_a_lookup_not_the_request(settings: Settings) -> None:
    api = TwilioApi(answered("mobile"))
    # Nothing listens on port 1: every command fails at once.
    async with Redis.from_url("redis://127.0.0.1:1/0") as unreachable:
        line_types = lookup(settings, api, unreachable)

        assert await line_types.line_type(PHONE) == "mobile"


async def test_the_lookup_exists_only_when_switched_on_with_twilio(settings: Settings) -> None:
    async with httpx.AsyncClient() as http:
        assert create_line_type_lookup(twilio_settings(settings), http, None) is None
        console = settings.model_copy(update={"sms_lookup_line_type": True})
        assert create_line_type_lookup(console, http, None) is None
        switched_on = twilio_settings(settings, sms_lookup_line_type=True)
        assert isinstance(create_line_type_lookup(switched_on, http, None), LineTypeLookup)
