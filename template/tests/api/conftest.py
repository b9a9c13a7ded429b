"""Fixtures of the API tests: the SMS inbox, a client from another network, and an
administrator and a member, signed in."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from app.crud.uow import UnitOfWork
from app.models import User
from tests.phone_auth import SmsInbox
from tests.sessions import bearer, create_user, sign_in


@pytest.fixture
def inbox(caplog: pytest.LogCaptureFixture) -> SmsInbox:
    return SmsInbox(caplog)


@pytest.fixture
async def stranger(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client on another network than `client`'s: someone else, as limits tell people apart."""
    transport = httpx.ASGITransport(
        app=app, raise_app_exceptions=False, client=("198.51.100.7", 40000)
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def admin(uow: UnitOfWork) -> User:
    return await create_user(uow, is_admin=True, username="boss")


@pytest.fixture
async def admin_auth(app: FastAPI, uow: UnitOfWork, admin: User) -> dict[str, str]:
    return bearer((await sign_in(app, uow, admin)).access_token)


@pytest.fixture
async def member(uow: UnitOfWork) -> User:
    return await create_user(uow, username="member")


@pytest.fixture
async def member_auth(app: FastAPI, uow: UnitOfWork, member: User) -> dict[str, str]:
    return bearer((await sign_in(app, uow, member)).access_token)
