"""Signed-in users for API tests: an account in the test database and a real session for it."""

from typing import Any

from fastapi import FastAPI

from app.api.state import Resources
from app.core.app_settings import settings_of
from app.crud.uow import UnitOfWork
from app.models import User, UserSettings
from app.schemas.sessions import TokenPairPublic
from app.services.sessions import SessionService
from tests.factories import UserFactory


async def create_user(uow: UnitOfWork, **values: Any) -> User:
    """A committed account with default settings; `values` override the factory's."""
    user = UserFactory.build(**values)
    user.settings = UserSettings()
    uow.users.add(user)
    await uow.session.commit()
    return user


def session_service(app: FastAPI, uow: UnitOfWork) -> SessionService:
    resources: Resources = app.state.resources
    return SessionService(uow, resources.accounts, settings_of(app), resources.token_state)


async def sign_in(app: FastAPI, uow: UnitOfWork, user: User) -> TokenPairPublic:
    """A new session for `user`, as /auth/verify would start it."""
    pair = await session_service(app, uow).start_session(user, user_agent="pytest", ip="127.0.0.1")
    await uow.session.commit()
    return pair


def bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}
