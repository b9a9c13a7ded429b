import pytest
from pydantic import ValidationError

from app.core.config import TestingSettings
from app.core.flags import DEFINITIONS, FeatureFlags, Flag


def test_flags_take_their_defaults_without_overrides() -> None:
    flags = FeatureFlags.from_overrides({})

    assert {flag: flags.is_enabled(flag) for flag in Flag} == {
        flag: spec.default for flag, spec in DEFINITIONS.items()
    }


def test_overrides_change_a_flag() -> None:
    flags = FeatureFlags.from_overrides({"registration": False})

    assert flags.is_enabled(Flag.REGISTRATION) is False


def test_every_flag_is_declared_with_a_description() -> None:
    assert set(DEFINITIONS) == set(Flag)
    assert all(spec.description for spec in DEFINITIONS.values())


def test_settings_read_overrides_from_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEATURE_FLAGS", '{"registration": false}')

    assert TestingSettings(_env_file=None).feature_flags == {"registration": False}


def test_unknown_flag_names_stop_the_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEATURE_FLAGS", '{"registraton": true}')

    with pytest.raises(ValidationError, match="FEATURE_FLAGS names unknown flags: registraton"):
        TestingSettings(_env_file=None)
