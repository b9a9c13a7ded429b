"""A complete production configuration, for tests that break one part of it.

Only the values whose setting exists in this project are used, so the same helper serves
every answer set.
"""

import os
from typing import Any

from pydantic import SecretStr
from sqlalchemy import make_url

from app.core.config import ProductionSettings
from tests.conftest import SESSION_KEY_PREFIX, TEST_REDIS_URL

# A random value, as secrets.token_urlsafe(48) makes one: production judges how guessable it is.
STRONG_KEY = "Hk4Tz9Qm2Wx7Lp5Nv8Rb3Jc6Fd1Sg0Ya7Ue2Mi9Ko4Pt6Xw3Bn8Vc5Zq1Rh7Gs2Dl"

COMPLETE: dict[str, Any] = {
    "secret_key": SecretStr(STRONG_KEY),
    "database_url": SecretStr("postgresql+asyncpg://app@db.internal/app?ssl=require"),
    "redis_url": SecretStr("redis://cache.internal:6379/0"),
    "celery_broker_url": SecretStr("redis://cache.internal:6379/1"),
    "phone_verifier": "twilio",
    "twilio_account_sid": "AC" + "0" * 32,
    "twilio_auth_token": SecretStr("t" * 32),
    "twilio_messaging_service_sid": "MG" + "0" * 32,
    "twilio_verify_service_sid": "VA" + "0" * 32,
    "email_sender": "smtp",
    "smtp_host": "smtp.example.com",
    "sms_allowed_regions": "US,GB",
    "metrics_token": SecretStr("scrape-token-for-the-metrics-endpoint"),
}


def production_settings(**overrides: Any) -> ProductionSettings:
    """ProductionSettings with every required value set, then `overrides` applied."""
    values = {
        name: value for name, value in COMPLETE.items() if name in ProductionSettings.model_fields
    }
    return ProductionSettings(_env_file=None, **{**values, **overrides})


def with_tls_choice(url: str) -> str:
    """`url` as production accepts it: a PostgreSQL URL names its TLS mode, here `disable`
    (the test server listens on the loopback without TLS)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return url
    return parsed.update_query_dict({"ssl": "disable"}).render_as_string(hide_password=False)


def production_environment(database_url: str) -> dict[str, str]:
    """Production settings from the environment, as a deployment sets them, with the test
    database and Redis in place of the real ones (the process starts in an empty folder, so
    no .env is read)."""
    local = {"database_url": with_tls_choice(database_url), "redis_url": TEST_REDIS_URL}
    if "celery_broker_url" in ProductionSettings.model_fields:
        local["celery_broker_url"] = TEST_REDIS_URL
    settings = {
        name.upper(): value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        for name, value in {**COMPLETE, **local}.items()
        if name in ProductionSettings.model_fields
    }
    return {
        **os.environ,
        **settings,
        "APP_ENV": "production",
        "REDIS_KEY_PREFIX": f"{SESSION_KEY_PREFIX}logs:",
        "PYTHONUNBUFFERED": "1",
    }
