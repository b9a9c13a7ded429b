from typing import Literal

from pydantic import BaseModel


class LivePublic(BaseModel):
    status: Literal["ok"]


class HealthPublic(LivePublic):
    version: str
