"""A complete production configuration, for tests that break one part of it.

Only the values whose setting exists in this project are used, so the same helper serves
every answer set.
"""

from typing import Any

from pydantic import SecretStr

from app.core.config import ProductionSettings

# A random value, as secrets.token_urlsafe(48) makes one: production judges how guessable it is.
STRONG_KEY = "Hk4Tz9Qm2Wx7Lp5Nv8Rb3Jc6Fd1Sg0Ya7Ue2Mi9Ko4Pt6Xw3Bn8Vc5Zq1Rh7Gs2Dl"

COMPLETE: dict[str, Any] = {
    "secret_key": SecretStr(STRONG_KEY),
    "database_url": SecretStr("postgresql+asyncpg://app@db.internal/app"),
    "redis_url": SecretStr("redis://cache.internal:6379/0"),
    "celery_broker_url": SecretStr("redis://cache.internal:6379/1"),
    "phone_verifier": "twilio",
    "twilio_account_sid": "AC" + "0" * 32,
    "twilio_auth_token": SecretStr("t" * 32),
    "twilio_messaging_service_sid": "MG" + "0" * 32,
    "twilio_verify_service_sid": "VA" + "0" * 32,
    "email_sender": "smtp",
    "sms_allowed_regions": "US,GB",
    "metrics_token": SecretStr("scrape-token-for-the-metrics-endpoint"),
}


def production_settings(**overrides: Any) -> ProductionSettings:
    """ProductionSettings with every required value set, then `overrides` applied."""
    values = {
        name: value for name, value in COMPLETE.items() if name in ProductionSettings.model_fields
    }
    return ProductionSettings(_env_file=None, **{**values, **overrides})
