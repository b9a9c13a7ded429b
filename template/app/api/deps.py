"""FastAPI dependencies shared by the routers.

Scopes: settings and resources are application-scoped (built once, by the factory and the
lifespan); anything built from them per call is request-scoped.
"""

from typing import Annotated

from fastapi import Depends, Request

from app.core.config import Settings
from app.core.resources import Resources


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_resources(request: Request) -> Resources:
    resources: Resources = request.app.state.resources
    return resources


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ResourcesDep = Annotated[Resources, Depends(get_resources)]
