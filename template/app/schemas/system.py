from typing import Literal

from pydantic import BaseModel


class LivePublic(BaseModel):
    status: Literal["ok"]


class HealthPublic(LivePublic):
    version: str


class ReadyPublic(LivePublic):
    # Each dependency the service needs to serve traffic, and whether it answered.
    checks: dict[str, Literal["ok"]]
