"""Typed configuration: `Settings` and its per-environment subclasses."""

from app.core.config.settings import (
    DevelopmentSettings,
    ProductionSettings,
    Settings,
    TestingSettings,
    get_settings,
    load_settings,
)

__all__ = [
    "DevelopmentSettings",
    "ProductionSettings",
    "Settings",
    "TestingSettings",
    "get_settings",
    "load_settings",
]
