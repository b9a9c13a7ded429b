"""The service with routes that fail unexpectedly, for tests that run it in a real process.

Run with `uvicorn tests.log_app:create_failing_app --factory`; settings come from the
environment, as in a deployment.
"""

import structlog
from fastapi import FastAPI
from sqlalchemy import text

from app.core.app_settings import settings_of
from app.db.engine import create_engine
from app.main import create_app

FAILING_PATH = "/_test/unhandled-error"
# Errors that quote what production logs must not carry.
LEAKY_DATABASE_PATH = "/_test/database-error"
LEAKY_MESSAGE_PATH = "/_test/leaky-error"
LEAKY_PHONE = "+14155552671"
LEAKY_PARAMETER = "code-hash-0123456789abcdef"
LEAKY_JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
LEAKY_SECRET = "refresh-token-value-never-logged"


def create_failing_app() -> FastAPI:
    app = create_app()

    @app.get(FAILING_PATH)
    async def fail() -> None:
        raise RuntimeError("unhandled test failure")

    @app.get(LEAKY_DATABASE_PATH)
    async def fail_in_the_database() -> None:
        # A statement that fails with a parameter: SQLAlchemy quotes parameters in its error.
        engine = create_engine(settings_of(app))
        try:
            async with engine.connect() as connection:
                await connection.execute(
                    text("INSERT INTO no_such_table (phone, code_hash) VALUES (:phone, :hash)"),
                    {"phone": LEAKY_PHONE, "hash": LEAKY_PARAMETER},
                )
        finally:
            await engine.dispose()

    @app.get(LEAKY_MESSAGE_PATH)
    async def fail_with_secrets_in_the_message() -> None:
        structlog.get_logger("app.test").warning("about_to_fail", refresh_token=LEAKY_SECRET)
        raise RuntimeError(f"provider refused {LEAKY_PHONE}; Authorization: Bearer {LEAKY_JWT}")

    return app
