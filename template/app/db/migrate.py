"""The code's migrations: their head revisions, and the development start-up upgrade.

Production never upgrades at start-up: several replicas would race, and a release migrates
once, before the new version starts (see docs/deployment.md).
"""

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.config import Settings

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


@functools.cache
def code_head_revisions() -> frozenset[str]:
    """The revisions the code's migrations end at. Reading them imports every migration
    module, so it happens once per process, on the first readiness check."""
    return frozenset(ScriptDirectory.from_config(Config(ALEMBIC_INI)).get_heads())


async def upgrade_to_head(engine: AsyncEngine, settings: Settings) -> None:
    def upgrade(connection: Connection) -> None:
        # A connection in `attributes` makes env.py migrate on it instead of starting an
        # event loop of its own, which cannot run inside this one.
        config = Config(ALEMBIC_INI)
        config.attributes["connection"] = connection
        config.attributes["settings"] = settings
        command.upgrade(config, "head")

    async with engine.begin() as connection:
        await connection.run_sync(upgrade)
