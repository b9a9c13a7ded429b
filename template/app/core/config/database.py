"""Database connection, pool, logging and seed-data settings."""

from collections.abc import Iterator

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings

from app.core.config.checks import SettingProblem, settings_check

# Development and tests need no server: without DATABASE_URL they use this local file.
# ProductionSettings makes DATABASE_URL required instead.
DEVELOPMENT_DATABASE_URL = "sqlite+aiosqlite:///./dev.db"


class DatabaseSettings(BaseSettings):
    database_url: SecretStr | None = Field(
        default=None,
        description="SQLAlchemy async URL (postgresql+asyncpg://... or sqlite+aiosqlite:///...)",
    )
    database_pool_size: int = Field(
        default=10,
        ge=1,
        description="Connections kept open per process (PostgreSQL); "
        "workers x pods x (size + overflow + read pool size) must stay under max_connections",
    )
    database_max_overflow: int = Field(
        default=0,
        ge=0,
        description="Extra connections opened under load and closed on return (PostgreSQL)",
    )
    database_read_pool_size: int = Field(
        default=5,
        ge=1,
        description="Most connections of the authenticated read path's own pool per process "
        "(PostgreSQL), opened on demand; counts towards max_connections with the pool above",
    )
    database_pool_timeout_seconds: float = Field(
        default=1.0, gt=0, description="Wait for a free pooled connection before failing"
    )
    database_connect_timeout_seconds: float = Field(
        default=2.0, gt=0, description="Wait for a new connection to be established"
    )
    database_statement_timeout_seconds: float = Field(
        default=2.0, gt=0, description="Wait for one statement's answer before failing"
    )
    database_pool_recycle_seconds: int = Field(
        default=1800, ge=-1, description="Replace connections older than this (-1: never)"
    )
    database_pool_pre_ping: bool = Field(
        default=False,
        description="Test each pooled connection before use (a round trip per checkout); "
        "off, a dropped connection fails one request with 503 and the pool reconnects",
    )
    migrate_on_startup: bool = Field(
        default=False, description="Upgrade the database to the latest migration at start-up"
    )
    database_echo: bool = Field(default=False, description="Log every SQL statement")
    database_log_parameters: bool = Field(
        default=False,
        description="Show SQL parameters (phone numbers, hashes) in logged statements and "
        "database errors; development only",
    )
    database_slow_query_ms: float = Field(
        default=500.0, ge=0, description="Log statements slower than this (0: off)"
    )
    database_health_timeout_seconds: float = Field(
        default=2.0, gt=0, description="How long /ready waits for the database to answer"
    )
    seed_admin_phone: str = Field(
        default="",
        pattern=r"^(\+[1-9][0-9]{6,14})?$",
        description="E.164 phone of the admin account the seed migration creates (empty: none)",
    )
    seed_admin_username: str = Field(
        default="", max_length=32, description="Username of the seeded admin account"
    )

    @field_validator("database_url", mode="before")
    @classmethod
    def _empty_means_unset(cls, value: object) -> object:
        # `DATABASE_URL=` as .env.example has it: no URL, not an empty one.
        return None if value == "" else value

    @property
    def sqlalchemy_database_url(self) -> str:
        """The URL engines connect to: DATABASE_URL, else the local development file."""
        if self.database_url is None:
            return DEVELOPMENT_DATABASE_URL
        return self.database_url.get_secret_value()

    @settings_check
    def _seed_admin_is_complete(self) -> Iterator[SettingProblem]:
        if bool(self.seed_admin_phone) != bool(self.seed_admin_username):
            yield SettingProblem(
                "SEED_ADMIN_PHONE, SEED_ADMIN_USERNAME", "set together or not at all"
            )
