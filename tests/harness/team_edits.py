"""What a team typically changes in a generated service, applied the same way everywhere:
a README section, a dependency, a `.env` line, and, through the team's extension points
(app/api/v1/team.py, app/core/config/team.py, docs/team.md, which the template writes once
and never updates), a new endpoint wired into the API with its own OpenAPI tag, a new
setting and a changed access-token lifetime.

A release before the extension points has no such files: the team writes them (the
CHANGELOG's Upgrading note moves routers wired into app/api/v1/router.py there), and the
update to a release that has them wires them in.
"""

from pathlib import Path

README_SECTION = "\n## Team runbook\n\nPage the on-call engineer in #payments-oncall.\n"
DEPENDENCY = '    "humanize>=4.9,<5",\n'
ENV_LINE = "LOG_LEVEL=DEBUG\n"
ENDPOINT = "app/api/v1/endpoints/team_ping.py"
ENDPOINT_CODE = '''"""A team endpoint, added after the render."""

from fastapi import APIRouter

router = APIRouter(tags=["team"])


@router.get("/team-ping", summary="Answer pong")
async def team_ping() -> dict[str, str]:
    """Tells a caller that the team's own routes are wired in."""
    return {"pong": "team"}
'''
ROUTERS = "app/api/v1/team.py"
ROUTERS_CODE = '''"""The team's part of API v1: its endpoint routers and their OpenAPI tags."""

from typing import Any

from fastapi import APIRouter

from app.api.v1.endpoints import team_ping

ROUTERS: tuple[APIRouter, ...] = (team_ping.router,)

TAGS: list[dict[str, Any]] = [
    {"name": "team", "description": "The payments team's own endpoints."},
]
'''
SETTINGS = "app/core/config/team.py"
SETTINGS_CODE = '''"""Settings the team added after the render, and a default it changed."""

from pydantic import Field
from pydantic_settings import BaseSettings


class TeamSettings(BaseSettings):
    team_channel: str = Field(default="#payments", description="Chat channel of the team")
    access_token_ttl_seconds: int = Field(
        default=15 * 60, gt=0, description="Shorter sessions than the template's 30 minutes"
    )
'''
TEAM_PAGE = "docs/team.md"
TEAM_PAGE_SECTION = """
## Settings

| Variable | What it does |
|---|---|
| `TEAM_CHANNEL` | Chat channel of the team |
"""
# Files the edits touch (not .env: its secret differs between any two renders anyway).
EDITED = ("README.md", "pyproject.toml", ENDPOINT, ROUTERS, SETTINGS, TEAM_PAGE)
# The team's endpoint, in the API once an update to a release with team.py wired it in.
TEAM_PATH = "/api/v1/team-ping"


def apply_team_edits(project: Path, *, env: bool = True) -> None:
    readme = project / "README.md"
    readme.write_text(readme.read_text() + README_SECTION)
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text()
    end_of_dependencies = text.index("]\n", text.index("dependencies = ["))
    pyproject.write_text(text[:end_of_dependencies] + DEPENDENCY + text[end_of_dependencies:])
    (project / ENDPOINT).write_text(ENDPOINT_CODE)
    (project / ROUTERS).write_text(ROUTERS_CODE)
    (project / SETTINGS).write_text(SETTINGS_CODE)
    team_page = project / TEAM_PAGE
    team_page.write_text((team_page.read_text() if team_page.exists() else "") + TEAM_PAGE_SECTION)
    if env:
        dotenv = project / ".env"
        dotenv.write_text(dotenv.read_text() + ENV_LINE)


def assert_team_edits_survive(project: Path) -> None:
    assert (project / "README.md").read_text().endswith(README_SECTION)
    assert DEPENDENCY in (project / "pyproject.toml").read_text()
    assert (project / ENDPOINT).read_text() == ENDPOINT_CODE
    assert (project / ROUTERS).read_text() == ROUTERS_CODE
    assert (project / SETTINGS).read_text() == SETTINGS_CODE
    assert (project / TEAM_PAGE).read_text().endswith(TEAM_PAGE_SECTION)
    assert (project / ".env").read_text().endswith(ENV_LINE)
