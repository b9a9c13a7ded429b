"""The request-scoped unit of work: one transaction per request, committed before the reply."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from sqlalchemy import select

from app.api.deps import UnitOfWorkDep, UserServiceDep
from app.db.session import SessionFactory
from app.models import User
from tests.factories import UserFactory

router = APIRouter(prefix="/test-only")


@router.post("/users/{username}")
async def create_user(username: str, users: UserServiceDep) -> dict[str, str]:
    """Create an account through the service, as a registration endpoint would."""
    user = await users.create_user(phone_number="+15550100001", username=username)
    return {"id": str(user.id)}


@router.post("/users-then-fail")
async def create_user_then_fail(uow: UnitOfWorkDep) -> None:
    """Write, then fail before the request completes."""
    uow.users.add(UserFactory.build(username="lost"))
    await uow.flush()
    raise RuntimeError("failure after a write")


@pytest.fixture
def routed_app(app: FastAPI) -> FastAPI:
    app.include_router(router)
    return app


@pytest.fixture
async def routed_client(routed_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=routed_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def usernames(session_factory: SessionFactory) -> list[str]:
    async with session_factory() as session:
        return list((await session.scalars(select(User.username))).all())


async def test_a_successful_request_commits(
    routed_client: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    response = await routed_client.post("/test-only/users/alice")

    assert response.status_code == 200
    assert await usernames(session_factory) == ["alice"]


async def test_a_failed_request_leaves_nothing_behind(
    routed_client: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    response = await routed_client.post("/test-only/users-then-fail")

    assert response.status_code == 500
    assert await usernames(session_factory) == []


async def test_a_domain_error_is_a_problem_response_and_rolls_back(
    routed_client: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    await routed_client.post("/test-only/users/alice")

    response = await routed_client.post("/test-only/users/bob")  # same phone number

    assert response.status_code == 409
    assert response.json()["field"] == "phone_number"
    assert await usernames(session_factory) == ["alice"]
