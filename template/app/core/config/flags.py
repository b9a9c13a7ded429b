"""Overrides of the feature flags declared in app/core/flags.py."""

from collections.abc import Iterator

from pydantic import Field
from pydantic_settings import BaseSettings

from app.core.config.checks import SettingProblem, settings_check
from app.core.flags import unknown_flags


class FlagsSettings(BaseSettings):
    feature_flags: dict[str, bool] = Field(
        default={}, description='Feature flag overrides as JSON, e.g. {"registration": false}'
    )
    feature_flags_cache_ttl_seconds: float = Field(
        default=10.0,
        ge=0,
        description="How long an instance reuses the run-time flag overrides it read",
    )

    @settings_check
    def _refuse_unknown_flags(self) -> Iterator[SettingProblem]:
        if unknown := unknown_flags(self.feature_flags):
            yield SettingProblem("FEATURE_FLAGS", f"names unknown flags: {', '.join(unknown)}")
