import uuid
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from app.core.config import TestingSettings
from app.core.flags import DEFINITIONS, FeatureFlags, Flag, FlagOverride, rollout_bucket


def test_flags_take_their_defaults_without_overrides() -> None:
    flags = FeatureFlags.from_settings({})

    assert {flag: flags.is_enabled(flag) for flag in Flag} == {
        flag: spec.default for flag, spec in DEFINITIONS.items()
    }


def test_overrides_change_a_flag() -> None:
    flags = FeatureFlags.from_settings({"registration": False})

    assert flags.is_enabled(Flag.REGISTRATION) is False


def test_every_flag_is_declared_with_a_description() -> None:
    assert set(DEFINITIONS) == set(Flag)
    assert all(spec.description for spec in DEFINITIONS.values())


def test_settings_read_overrides_from_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEATURE_FLAGS", '{"registration": false}')

    assert TestingSettings(_env_file=None).feature_flags == {"registration": False}


def test_unknown_flag_names_stop_the_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEATURE_FLAGS", '{"registraton": true}')

    with pytest.raises(ValidationError, match="FEATURE_FLAGS: names unknown flags: registraton"):
        TestingSettings(_env_file=None)


def test_no_declared_flag_is_past_its_expiry() -> None:
    """A flag past its date is debt: remove it (and its checks), or extend the date on
    purpose in app/core/flags.py."""
    today = datetime.now(UTC).date()

    expired = {flag: spec.expires for flag, spec in DEFINITIONS.items() if spec.expires < today}

    assert expired == {}, f"Feature flags past their expiry date: {expired}"


def test_an_override_replaces_the_configured_state() -> None:
    flags = FeatureFlags.from_settings({}).with_overrides(
        {Flag.REGISTRATION: FlagOverride(enabled=False)}
    )

    assert flags.is_enabled(Flag.REGISTRATION) is False
    assert flags.for_user(uuid.uuid4()) == {Flag.REGISTRATION: False}


def test_the_allow_list_turns_a_flag_on_for_its_users_only() -> None:
    chosen = uuid.uuid4()
    flags = FeatureFlags.from_settings({}).with_overrides(
        {Flag.REGISTRATION: FlagOverride(enabled=False, allowed_user_ids=frozenset({chosen}))}
    )

    assert flags.is_enabled(Flag.REGISTRATION, chosen) is True
    assert flags.is_enabled(Flag.REGISTRATION, uuid.uuid4()) is False
    assert flags.is_enabled(Flag.REGISTRATION) is False


def in_rollout(users: list[uuid.UUID], percent: int) -> set[uuid.UUID]:
    override = FlagOverride(enabled=False, rollout_percent=percent)
    return {user for user in users if override.is_enabled_for(Flag.REGISTRATION, user)}


def test_rollouts_are_stable_spread_evenly_and_grow_without_reshuffling() -> None:
    users = [uuid.UUID(int=number * 7919) for number in range(4000)]

    quarter, half = in_rollout(users, 25), in_rollout(users, 50)

    # A hash of the flag and the id (not hash()): the same answer on every instance and run.
    assert rollout_bucket(Flag.REGISTRATION, users[0]) == 22
    assert 0.22 < len(quarter) / len(users) < 0.28
    assert quarter < half  # widening a rollout keeps everyone who had the feature
    assert in_rollout(users, 0) == set()
    assert in_rollout(users, 100) == set(users)
