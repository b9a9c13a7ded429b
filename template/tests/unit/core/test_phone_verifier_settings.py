from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from app.core.config.twilio import TwilioSettings
from tests.twilio_api import ACCOUNT_SID, AUTH_TOKEN, SENDER_SETTINGS

# This project's answer decides which sender settings exist.
SENDER: dict[str, Any] = {
    name: value for name, value in SENDER_SETTINGS.items() if name in TwilioSettings.model_fields
}
ACCOUNT: dict[str, Any] = {
    "twilio_account_sid": ACCOUNT_SID,
    "twilio_auth_token": SecretStr(AUTH_TOKEN),
}


def test_development_and_tests_write_codes_to_the_console() -> None:
    assert TwilioSettings(_env_file=None, app_env="test").phone_verifier == "console"
    assert TwilioSettings(_env_file=None, app_env="development").phone_verifier == "console"


def test_production_refuses_the_console() -> None:
    with pytest.raises(ValidationError, match="PHONE_VERIFIER: console writes verification codes"):
        TwilioSettings(_env_file=None, app_env="production", phone_verifier="console")


def test_production_accepts_a_complete_twilio_account() -> None:
    settings = TwilioSettings(
        _env_file=None, app_env="production", phone_verifier="twilio", **ACCOUNT, **SENDER
    )

    assert settings.phone_verifier == "twilio"


def test_twilio_without_an_account_names_every_missing_setting() -> None:
    with pytest.raises(ValidationError) as raised:
        TwilioSettings(_env_file=None, phone_verifier="twilio")

    message = str(raised.value)
    for name in ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", *(name.upper() for name in SENDER)]:
        assert f"{name}: required by PHONE_VERIFIER=twilio" in message


def test_twilio_without_a_sender_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"TWILIO_.*: required by PHONE_VERIFIER=twilio"):
        TwilioSettings(_env_file=None, phone_verifier="twilio", **ACCOUNT)
