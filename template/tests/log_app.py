"""The service with one route that fails unexpectedly, for tests that run it in a real process.

Run with `uvicorn tests.log_app:create_failing_app --factory`; settings come from the
environment, as in a deployment.
"""

from fastapi import FastAPI

from app.main import create_app

FAILING_PATH = "/_test/unhandled-error"


def create_failing_app() -> FastAPI:
    app = create_app()

    @app.get(FAILING_PATH)
    async def fail() -> None:
        raise RuntimeError("unhandled test failure")

    return app
