"""Fixtures shared by every test: settings, the app and an HTTP client for it."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from app.core.config import Settings, TestingSettings
from app.main import create_app

TEST_SECRET_KEY = "test-secret-key-of-at-least-32-bytes-long"


@pytest.fixture
def settings() -> Settings:
    # _env_file=None: a developer's .env must not leak into the tests.
    return TestingSettings(_env_file=None, secret_key=SecretStr(TEST_SECRET_KEY))


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
