"""The SMS destination policy and budgets as settings: production must say where it texts."""

import pytest
from phonenumbers import PhoneNumberType
from pydantic import ValidationError

from app.core.config import TestingSettings
from app.core.config.sms import DEVELOPMENT_REGIONS, SmsSettings
from tests.production import production_settings


def test_production_refuses_to_start_without_allowed_regions() -> None:
    with pytest.raises(ValidationError) as refused:
        production_settings(sms_allowed_regions=None)

    message = str(refused.value)
    assert "SMS_ALLOWED_REGIONS: required in production" in message
    assert len([line for line in message.splitlines() if "SMS_ALLOWED_REGIONS" in line]) == 1


def test_production_takes_a_list_or_the_deliberate_all() -> None:
    listed = production_settings(sms_allowed_regions="us, gb")

    assert listed.sms_regions() == frozenset({"US", "GB"})
    assert production_settings(sms_allowed_regions="ALL").sms_regions() is None


def test_development_and_tests_default_to_a_short_list() -> None:
    settings = TestingSettings(_env_file=None)

    assert settings.sms_regions() == DEVELOPMENT_REGIONS
    assert settings.sms_number_types() == {
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }


def test_an_empty_value_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMS_ALLOWED_REGIONS", "")

    assert SmsSettings(_env_file=None).sms_allowed_regions is None


@pytest.mark.parametrize("regions", ["XX", "US,ZZ", ",", "001"])
def test_unknown_regions_are_refused_by_name(regions: str) -> None:
    with pytest.raises(ValidationError, match="takes ISO 3166 region codes"):
        SmsSettings(_env_file=None, sms_allowed_regions=regions)


@pytest.mark.parametrize("types", ["premium_rate", "mobile,pager", "personal_number", "uan"])
def test_number_types_that_pumping_favours_cannot_be_allowed(types: str) -> None:
    with pytest.raises(ValidationError, match="takes mobile, fixed_line_or_mobile, voip"):
        SmsSettings(_env_file=None, sms_allowed_number_types=types)


def test_voip_can_be_allowed_on_purpose() -> None:
    settings = SmsSettings(_env_file=None, sms_allowed_number_types="mobile,voip")

    assert PhoneNumberType.VOIP in settings.sms_number_types()
