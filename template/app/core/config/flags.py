"""Overrides of the feature flags declared in app/core/flags.py."""

from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings

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

    @model_validator(mode="after")
    def _refuse_unknown_flags(self) -> Self:
        if unknown := unknown_flags(self.feature_flags):
            raise ValueError(f"FEATURE_FLAGS names unknown flags: {', '.join(unknown)}")
        return self
