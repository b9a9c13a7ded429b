"""Feature flags: configuration-based toggles, known to the code by name.

A flag is declared here with a default; FEATURE_FLAGS (JSON) overrides defaults per
deployment. Unknown names in FEATURE_FLAGS stop the start-up, so a typo never silently
leaves a feature in its default state. Lifecycle: docs/feature-flags.md.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Flag(StrEnum):
    REGISTRATION = "registration"


@dataclass(frozen=True, slots=True)
class FlagDefinition:
    description: str
    default: bool


DEFINITIONS: Mapping[Flag, FlagDefinition] = {
    Flag.REGISTRATION: FlagDefinition(
        description="New accounts can sign up; off closes registration (existing users sign in)",
        default=True,
    ),
}


def unknown_flags(overrides: Mapping[str, bool]) -> list[str]:
    return sorted(name for name in overrides if name not in Flag.__members__.values())


@dataclass(frozen=True, slots=True)
class FeatureFlags:
    """The state of every flag for this process, resolved once from the settings."""

    states: Mapping[Flag, bool]

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, bool]) -> "FeatureFlags":
        return cls({flag: overrides.get(flag, spec.default) for flag, spec in DEFINITIONS.items()})

    def is_enabled(self, flag: Flag) -> bool:
        return self.states[flag]
