"""What a team typically changes in a generated service, applied the same way everywhere."""

from pathlib import Path

README_SECTION = "\n## Team runbook\n\nPage the on-call engineer in #payments-oncall.\n"
DEPENDENCY = '    "humanize>=4.9,<5",\n'
ENV_LINE = "LOG_LEVEL=DEBUG\n"
ENDPOINT = "app/api/v1/endpoints/team_ping.py"
ENDPOINT_CODE = '''"""A team endpoint, added after the render."""

from fastapi import APIRouter

router = APIRouter()


@router.get("/team-ping")
async def team_ping() -> dict[str, str]:
    return {"pong": "team"}
'''
SETTINGS = "app/core/config/team.py"
SETTINGS_CODE = '''"""A setting the team added after the render."""

from pydantic import Field
from pydantic_settings import BaseSettings


class TeamSettings(BaseSettings):
    team_channel: str = Field(default="#payments", description="Chat channel of the team")
'''
# Files the edits touch (not .env: its secret differs between any two renders anyway).
EDITED = ("README.md", "pyproject.toml", ENDPOINT, SETTINGS)


def apply_team_edits(project: Path, *, env: bool = True) -> None:
    readme = project / "README.md"
    readme.write_text(readme.read_text() + README_SECTION)
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text()
    end_of_dependencies = text.index("]\n", text.index("dependencies = ["))
    pyproject.write_text(text[:end_of_dependencies] + DEPENDENCY + text[end_of_dependencies:])
    (project / ENDPOINT).write_text(ENDPOINT_CODE)
    (project / SETTINGS).write_text(SETTINGS_CODE)
    if env:
        dotenv = project / ".env"
        dotenv.write_text(dotenv.read_text() + ENV_LINE)


def assert_team_edits_survive(project: Path) -> None:
    assert (project / "README.md").read_text().endswith(README_SECTION)
    assert DEPENDENCY in (project / "pyproject.toml").read_text()
    assert (project / ENDPOINT).read_text() == ENDPOINT_CODE
    assert (project / SETTINGS).read_text() == SETTINGS_CODE
    assert (project / ".env").read_text().endswith(ENV_LINE)
