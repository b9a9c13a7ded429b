"""Database connection, pool, logging and seed-data settings.

Alone, they are what `alembic upgrade head` reads (migrations/env.py): a migration job needs
no Twilio account or signing key.
"""

from collections.abc import Iterator

from pydantic import Field, SecretStr, field_validator
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from app.core.config.app import AppSettings
from app.core.config.checks import SettingProblem, settings_check

# Development and tests need no server: without DATABASE_URL they use this local file.
# ProductionSettings makes DATABASE_URL required instead.
DEVELOPMENT_DATABASE_URL = "sqlite+aiosqlite:///./dev.db"

# SQLAlchemy hands a postgresql+asyncpg URL's query to asyncpg.connect() as arguments, so a
# libpq parameter would start fine and fail every connection (TypeError, a 500). What asyncpg
# takes instead of each:
LIBPQ_ONLY_PARAMETERS = {
    "sslmode": "ssl=<mode> (the same modes: disable, require, verify-ca, verify-full...)",
    "sslrootcert": "PGSSLROOTCERT=<file> in the environment",
    "sslcert": "PGSSLCERT=<file> in the environment",
    "sslkey": "PGSSLKEY=<file> in the environment",
    "sslcrl": "PGSSLCRL=<file> in the environment",
    "sslpassword": "the key file without a password",
    "connect_timeout": "DATABASE_CONNECT_TIMEOUT_SECONDS",
    "application_name": "no parameter (the server logs the user and database)",
}
# The query parameters asyncpg takes from a URL; any other is refused rather than passed on.
ASYNCPG_PARAMETERS = {"ssl", "direct_tls", "target_session_attrs", "host", "port"}
# asyncpg's names of the TLS modes (asyncpg.connect_utils.SSLMode).
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


def asyncpg_url_problem(url: str) -> str | None:
    """Why asyncpg could not connect with `url`'s parameters, or None when it can (a reason
    naming parameters, never their values)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "not a database URL (dialect+driver://user:password@host/name)"
    if parsed.get_backend_name() != "postgresql":
        return None
    for name in parsed.query:
        if name in LIBPQ_ONLY_PARAMETERS:
            return (
                f"asyncpg does not take libpq's `{name}=`; "
                f"write {LIBPQ_ONLY_PARAMETERS[name]} instead"
            )
        if name not in ASYNCPG_PARAMETERS:
            return (
                f"asyncpg does not take `{name}=`; "
                f"its URL parameters are {', '.join(sorted(ASYNCPG_PARAMETERS))}"
            )
    ssl = parsed.query.get("ssl")
    if isinstance(ssl, str) and ssl not in SSL_MODES:
        return f"`ssl=` takes a TLS mode: one of {', '.join(SSL_MODES)}"
    return None


def production_database_url_problem(url: SecretStr | None) -> str | None:
    """Why `url` cannot serve production, or None: it is required, and a PostgreSQL URL says
    how the connection is encrypted (asyncpg's silent default, prefer, falls back to clear)."""
    if url is None:
        return "required in production (no SQLite fallback)"
    parsed = make_url(url.get_secret_value())
    if parsed.get_backend_name() == "postgresql" and "ssl" not in parsed.query:
        return (
            "must choose TLS in production: end it with ?ssl=require (encrypted), "
            "?ssl=verify-full (also checks the server's certificate against PGSSLROOTCERT) or "
            "?ssl=disable (a server on a private network only)"
        )
    return None


# Builds on AppSettings: what production requires of the URL depends on APP_ENV.
class DatabaseSettings(AppSettings):
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
        description="Most connections per process of the pool that reads the caller's account, "
        "applies their own profile changes and rotates refresh tokens (PostgreSQL), opened on "
        "demand; counts towards max_connections with the pool above",
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

    @field_validator("database_url")
    @classmethod
    def _asyncpg_takes_its_parameters(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and (problem := asyncpg_url_problem(value.get_secret_value())):
            raise ValueError(problem)
        return value

    @property
    def sqlalchemy_database_url(self) -> str:
        """The URL engines connect to: DATABASE_URL, else the local development file."""
        if self.database_url is None:
            return DEVELOPMENT_DATABASE_URL
        return self.database_url.get_secret_value()

    @settings_check
    def _production_database_url(self) -> Iterator[SettingProblem]:
        if self.app_env == "production" and (
            problem := production_database_url_problem(self.database_url)
        ):
            yield SettingProblem("DATABASE_URL", problem)

    @settings_check
    def _seed_admin_is_complete(self) -> Iterator[SettingProblem]:
        if bool(self.seed_admin_phone) != bool(self.seed_admin_username):
            yield SettingProblem(
                "SEED_ADMIN_PHONE, SEED_ADMIN_USERNAME", "set together or not at all"
            )
