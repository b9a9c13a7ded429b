from pydantic import BaseModel


class FeaturePublic(BaseModel):
    name: str
    enabled: bool
    description: str
