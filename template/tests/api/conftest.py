"""Fixtures of the API tests: the SMS inbox, and an administrator and a member, signed in."""

import pytest
from fastapi import FastAPI

from app.db.uow import UnitOfWork
from app.models import User
from tests.phone_auth import SmsInbox
from tests.sessions import bearer, create_user, sign_in


@pytest.fixture
def inbox(caplog: pytest.LogCaptureFixture) -> SmsInbox:
    return SmsInbox(caplog)


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
