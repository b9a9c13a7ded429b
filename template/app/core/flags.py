"""Feature flags: toggles known to the code by name, changeable at run time.

A flag is declared here with a default and an expiry date. FEATURE_FLAGS (JSON) overrides
defaults per deployment; unknown names in it stop the start-up, so a typo never silently
leaves a feature in its default state. Administrators override a flag at run time
(`PUT /api/v1/admin/features/{name}`): on or off, for a stable percentage of users, or for
an allow-list of users. A test fails once a flag is past its expiry, so none lingers.
Lifecycle: docs/feature-flags.md.
"""

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Flag(StrEnum):
    REGISTRATION = "registration"


@dataclass(frozen=True, slots=True)
class FlagDefinition:
    description: str
    default: bool
    # Remove the flag (or extend the date, on purpose) by then: tests/unit/core/test_flags.py.
    expires: date


DEFINITIONS: Mapping[Flag, FlagDefinition] = {
    Flag.REGISTRATION: FlagDefinition(
        description="New accounts can sign up; off closes registration (existing users sign in)",
        default=True,
        # A kill switch for sign-up floods: review once a year whether it is still needed.
        expires=date(2027, 12, 31),
    ),
}


def unknown_flags(overrides: Mapping[str, bool]) -> list[str]:
    return sorted(name for name in overrides if name not in Flag.__members__.values())


def rollout_bucket(flag: Flag, user_id: uuid.UUID) -> int:
    """0-99, the same for a user and flag on every instance and release (unlike hash())."""
    digest = hashlib.sha256(f"{flag}:{user_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100


@dataclass(frozen=True, slots=True)
class FlagOverride:
    """An administrator's setting of one flag; it replaces the configured default."""

    enabled: bool
    # Set: on for this share of signed-in users (by their rollout bucket), whatever `enabled`.
    rollout_percent: int | None = None
    allowed_user_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)

    def is_enabled_for(self, flag: Flag, user_id: uuid.UUID | None) -> bool:
        if user_id is not None and user_id in self.allowed_user_ids:
            return True
        if user_id is not None and self.rollout_percent is not None:
            return rollout_bucket(flag, user_id) < self.rollout_percent
        return self.enabled


@dataclass(frozen=True, slots=True)
class FeatureFlags:
    """Every flag's configured state, and the overrides in force when it was read."""

    defaults: Mapping[Flag, bool]
    overrides: Mapping[Flag, FlagOverride] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, configured: Mapping[str, bool]) -> "FeatureFlags":
        return cls({flag: configured.get(flag, spec.default) for flag, spec in DEFINITIONS.items()})

    def with_overrides(self, overrides: Mapping[Flag, FlagOverride]) -> "FeatureFlags":
        return FeatureFlags(self.defaults, overrides)

    def is_enabled(self, flag: Flag, user_id: uuid.UUID | None = None) -> bool:
        override = self.overrides.get(flag)
        if override is None:
            return self.defaults[flag]
        return override.is_enabled_for(flag, user_id)

    def for_user(self, user_id: uuid.UUID | None) -> dict[Flag, bool]:
        return {flag: self.is_enabled(flag, user_id) for flag in self.defaults}
