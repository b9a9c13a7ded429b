"""`.env.example` and docs/configuration.md list exactly the template's settings, and
docs/team.md the settings the team added (app/core/config/team.py), which the template's
files never name, so updates of those files cannot conflict with a team's additions."""

import re
from pathlib import Path

from pydantic_settings import BaseSettings

from app.core.config import Settings
from app.core.config.team import TeamSettings

PROJECT = Path(__file__).resolve().parents[3]


def settings_variables() -> set[str]:
    """The template's settings: every mixin's fields but the team's, whose own fields may
    also change a template setting's default."""
    mixins = [
        base
        for base in Settings.__mro__[1:]
        if issubclass(base, BaseSettings) and base is not TeamSettings
    ]
    return {name.upper() for mixin in mixins for name in mixin.model_fields}


def test_team_settings_are_documented_on_the_team_page() -> None:
    text = (PROJECT / "docs" / "team.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", text, re.MULTILINE))
    added_by_team = {name.upper() for name in TeamSettings.model_fields} - settings_variables()

    assert added_by_team <= documented


def test_env_example_lists_every_setting() -> None:
    text = (PROJECT / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))

    assert documented == settings_variables()


def test_configuration_reference_lists_every_setting() -> None:
    text = (PROJECT / "docs" / "configuration.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", text, re.MULTILINE))

    assert documented == settings_variables()
