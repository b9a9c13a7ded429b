"""Your team's settings, mixed into `Settings` ahead of the template's mixins.

The template writes this file once and never updates it (`_skip_if_exists` in its
copier.yml), so settings added here survive every `copier update`. A field named like a
template setting changes that setting's default, e.g.
`access_token_ttl_seconds: int = Field(default=15 * 60, gt=0)`. Document your own settings
in docs/team.md (a `| `NAME` | ... |` row each); the template's are in docs/configuration.md.
"""

from pydantic_settings import BaseSettings


class TeamSettings(BaseSettings):
    """No settings of the team's yet."""
