import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.flags import FlagOverride


class FeaturePublic(BaseModel):
    name: str
    enabled: bool
    description: str


class FeatureOverrideUpdate(BaseModel):
    """A run-time setting of a flag: on or off, optionally for a share of users or a list."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "enabled": False,
                    "rollout_percent": 10,
                    "allowed_user_ids": ["0b9f6d1e-8a43-4c0e-9a57-1b2a9f1c7d10"],
                }
            ]
        },
    )

    enabled: bool = Field(description="The state for everyone the other fields do not select")
    rollout_percent: Annotated[int, Field(ge=0, le=100)] | None = Field(
        default=None,
        description="On for this share of signed-in users, chosen by a stable hash of their id",
    )
    allowed_user_ids: list[uuid.UUID] = Field(
        default=[], max_length=1000, description="Users for whom the flag is always on"
    )

    def to_override(self) -> FlagOverride:
        return FlagOverride(
            enabled=self.enabled,
            rollout_percent=self.rollout_percent,
            allowed_user_ids=frozenset(self.allowed_user_ids),
        )


class FeatureOverridePublic(FeatureOverrideUpdate):
    name: str
