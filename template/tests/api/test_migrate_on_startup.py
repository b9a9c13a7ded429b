"""The quick start: development settings migrate a new local database, so sign-up works at once."""

from pathlib import Path

from pydantic import SecretStr

from app.core.config import Settings
from tests.api.test_ready import client_for
from tests.phone_auth import new_phone, new_username


async def test_a_new_database_is_migrated_at_start_up(settings: Settings, tmp_path: Path) -> None:
    url = SecretStr(f"sqlite+aiosqlite:///{tmp_path / 'new.db'}")
    fresh = settings.model_copy(update={"database_url": url, "migrate_on_startup": True})
    async with client_for(fresh) as client:
        registered = await client.post(
            "/api/v1/auth/register", json={"phone_number": new_phone(), "username": new_username()}
        )

    assert registered.status_code == 202, registered.text
