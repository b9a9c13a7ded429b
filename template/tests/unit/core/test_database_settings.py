import pytest
from pydantic import SecretStr, ValidationError

from app.core.config import TestingSettings
from app.core.config.database import DEVELOPMENT_DATABASE_URL
from tests.production import production_settings


def test_without_database_url_development_and_tests_use_a_local_sqlite_file() -> None:
    settings = TestingSettings(_env_file=None, database_url=None)

    assert (
        settings.sqlalchemy_database_url
        == DEVELOPMENT_DATABASE_URL
        == ("sqlite+aiosqlite:///./dev.db")
    )


def test_database_url_is_used_and_kept_out_of_reprs() -> None:
    url = "postgresql+asyncpg://app:hunter2@db:5432/app"
    settings = TestingSettings(_env_file=None, database_url=SecretStr(url))

    assert settings.sqlalchemy_database_url == url
    assert "hunter2" not in repr(settings)


def test_production_refuses_to_start_without_database_url() -> None:
    with pytest.raises(ValidationError, match="DATABASE_URL: required in production"):
        production_settings(database_url=None)


def test_production_accepts_a_database_url() -> None:
    settings = production_settings(database_url=SecretStr("postgresql+asyncpg://app@db/app"))

    assert settings.sqlalchemy_database_url == "postgresql+asyncpg://app@db/app"


@pytest.mark.parametrize(
    ("phone", "username"), [("+15550100001", ""), ("", "admin")], ids=["phone-only", "name-only"]
)
def test_seed_admin_needs_both_phone_and_username(phone: str, username: str) -> None:
    with pytest.raises(ValidationError, match="set together"):
        TestingSettings(_env_file=None, seed_admin_phone=phone, seed_admin_username=username)


@pytest.mark.parametrize("phone", ["15550100001", "+0555", "+1 555 0100"])
def test_seed_admin_phone_must_be_e164(phone: str) -> None:
    with pytest.raises(ValidationError, match="seed_admin_phone"):
        TestingSettings(_env_file=None, seed_admin_phone=phone, seed_admin_username="admin")


def test_an_empty_database_url_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "")

    assert TestingSettings(_env_file=None).database_url is None
