import time

import pytest
from pydantic import SecretStr, ValidationError

from app.core.config import TestingSettings
from app.core.config.redis import RedisSettings
from app.core.redis import open_redis, redis_is_available


def test_production_refuses_to_start_without_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)

    with pytest.raises(ValidationError, match="REDIS_URL: required in production"):
        RedisSettings(_env_file=None, app_env="production")


def test_production_accepts_a_redis_url() -> None:
    settings = RedisSettings(
        _env_file=None, app_env="production", redis_url=SecretStr("redis://cache:6379/0")
    )

    assert settings.redis_url is not None
    assert "cache" not in repr(settings)


def test_an_empty_redis_url_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "")

    assert TestingSettings(_env_file=None).redis_url is None


async def test_without_a_url_there_is_no_client() -> None:
    async with open_redis(TestingSettings(_env_file=None, redis_url=None)) as redis:
        assert redis is None


async def test_an_unreachable_redis_is_reported_fast() -> None:
    settings = TestingSettings(_env_file=None, redis_url=SecretStr("redis://127.0.0.1:1/0"))
    started = time.perf_counter()

    async with open_redis(settings) as redis:
        assert redis is not None
        assert not await redis_is_available(redis, timeout_seconds=1.0)

    assert time.perf_counter() - started < 1.5


def test_the_ip_rate_limit_must_be_a_rate() -> None:
    with pytest.raises(ValidationError, match="auth_rate_limit_per_ip"):
        TestingSettings(_env_file=None, auth_rate_limit_per_ip="often")
