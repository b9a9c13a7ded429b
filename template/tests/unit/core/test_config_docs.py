"""`.env.example` and docs/configuration.md list exactly the fields of the settings classes."""

import re
from pathlib import Path

from app.core.config import Settings

PROJECT = Path(__file__).resolve().parents[3]


def settings_variables() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


def test_env_example_lists_every_setting() -> None:
    text = (PROJECT / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))

    assert documented == settings_variables()


def test_configuration_reference_lists_every_setting() -> None:
    text = (PROJECT / "docs" / "configuration.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", text, re.MULTILINE))

    assert documented == settings_variables()
