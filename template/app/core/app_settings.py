"""The settings an app was created with, kept on the app: written once by `create_app`,
read by what holds only the app or a request (dependencies, problem handlers, the lifespan).
"""

from starlette.applications import Starlette

from app.core.config import Settings


def store_settings(app: Starlette, settings: Settings) -> None:
    app.state.settings = settings


def settings_of(app: Starlette) -> Settings:
    settings: Settings = app.state.settings
    return settings
