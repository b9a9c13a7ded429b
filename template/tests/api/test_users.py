"""/users/me: the signed-in user's account, preferences and deletion."""

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncConnection

from app.crud.uow import UnitOfWork
from app.db.types import utcnow
from app.models import RevocationReason, User, UserSettings
from app.schemas.sessions import TokenPairPublic
from app.services.sessions import hash_refresh_token
from tests.sessions import bearer, create_user, sign_in

ME = "/api/v1/users/me"


@pytest.fixture
async def user(uow: UnitOfWork) -> User:
    return await create_user(uow, display_name="Ada", email="ada@example.com")


@pytest.fixture
async def pair(app: FastAPI, uow: UnitOfWork, user: User) -> TokenPairPublic:
    return await sign_in(app, uow, user)


@pytest.fixture
def auth(pair: TokenPairPublic) -> dict[str, str]:
    return bearer(pair.access_token)


async def test_read_me(client: httpx.AsyncClient, auth: dict[str, str], user: User) -> None:
    response = await client.get(ME, headers=auth)

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["username"], body["phone_number"]) == (
        str(user.id),
        user.username,
        user.phone_number,
    )
    assert body["display_name"] == "Ada"
    assert body["is_admin"] is False


async def test_update_me_changes_only_the_fields_sent(
    client: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    response = await client.patch(
        ME,
        headers=auth,
        json={
            "bio": "Analyst",
            "timezone": "Europe/London",
            "locale": "en-GB",
            "avatar_url": "https://cdn.example.com/a.png",
            "date_of_birth": "1815-12-10",
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert body["display_name"] == "Ada"
    assert (body["bio"], body["timezone"], body["locale"]) == ("Analyst", "Europe/London", "en-GB")
    assert body["avatar_url"] == "https://cdn.example.com/a.png"
    assert (await client.get(ME, headers=auth)).json()["bio"] == "Analyst"


async def test_null_clears_an_optional_field(
    client: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    response = await client.patch(ME, headers=auth, json={"display_name": None})

    assert response.json()["display_name"] is None


@pytest.mark.parametrize(
    "change",
    [
        {"timezone": "Mars/Olympus"},
        {"locale": "not a locale"},
        {"date_of_birth": "2999-01-01"},
        {"avatar_url": "javascript:alert(1)"},
        {"email": "not-an-address"},
        {"username": "renamed"},
        {"is_admin": True},
    ],
)
async def test_invalid_or_unknown_fields_are_refused(
    client: httpx.AsyncClient, auth: dict[str, str], change: dict[str, object]
) -> None:
    response = await client.patch(ME, headers=auth, json=change)

    assert response.status_code == 422


async def test_a_new_email_starts_unverified(
    client: httpx.AsyncClient, auth: dict[str, str], user: User, uow: UnitOfWork
) -> None:
    user.email_verified_at = utcnow()
    await uow.session.commit()

    response = await client.patch(ME, headers=auth, json={"email": "Ada@Example.org"})

    assert response.status_code == 200
    assert response.json()["email"] == "ada@example.org"
    assert response.json()["email_verified_at"] is None


async def test_a_claim_answers_alike_whether_or_not_another_account_holds_the_address(
    client: httpx.AsyncClient, auth: dict[str, str], uow: UnitOfWork
) -> None:
    await create_user(uow, email="verified@example.com", email_verified_at=utcnow())
    await create_user(uow, email="claimed@example.com")

    answers = [
        await client.patch(ME, headers=auth, json={"email": address})
        for address in ("VERIFIED@example.com", "claimed@example.com", "free@example.com")
    ]

    assert [answer.status_code for answer in answers] == [200] * 3
    assert [answer.json()["email_verified_at"] for answer in answers] == [None] * 3


async def test_settings_are_read_and_changed(
    client: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    before = (await client.get(f"{ME}/settings", headers=auth)).json()

    response = await client.patch(
        f"{ME}/settings",
        headers=auth,
        json={"theme": "dark", "notify_sms": False, "profile_visibility": "private"},
    )

    assert before["theme"] == "system"
    assert response.status_code == 200
    after = response.json()
    assert (after["theme"], after["notify_sms"], after["profile_visibility"]) == (
        "dark",
        False,
        "private",
    )
    assert after["language"] == before["language"]
    assert (await client.get(f"{ME}/settings", headers=auth)).json() == after


async def test_an_account_without_settings_reads_them_as_a_404_problem(
    client: httpx.AsyncClient, auth: dict[str, str], user: User, db_connection: AsyncConnection
) -> None:
    # Every account is created with its settings: only a hand-edited database lacks them.
    await db_connection.execute(delete(UserSettings).where(UserSettings.user_id == user.id))

    response = await client.get(f"{ME}/settings", headers=auth)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "This account has no settings"


async def test_settings_refuse_unknown_values(
    client: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    response = await client.patch(f"{ME}/settings", headers=auth, json={"theme": "neon"})

    assert response.status_code == 422


async def test_deleting_the_account_ends_every_session(
    app: FastAPI,
    client: httpx.AsyncClient,
    auth: dict[str, str],
    pair: TokenPairPublic,
    user: User,
    uow: UnitOfWork,
) -> None:
    other = await sign_in(app, uow, user)

    response = await client.delete(ME, headers=auth)

    assert response.status_code == 204
    assert (await client.get(ME, headers=bearer(other.access_token))).status_code == 401
    # Routes that need only the session (not the account) refuse the token too.
    logout_all = await client.post("/api/v1/auth/logout-all", headers=bearer(other.access_token))
    assert logout_all.status_code == 401
    refresh = await client.post("/api/v1/auth/refresh", json={"refresh_token": pair.refresh_token})
    assert refresh.status_code == 401
    row = await uow.refresh_tokens.get_by_hash(hash_refresh_token(other.refresh_token))
    assert row is not None
    await uow.session.refresh(row)
    assert row.revoked_reason == RevocationReason.ACCOUNT_DELETED


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", ME), ("PATCH", ME), ("DELETE", ME), ("GET", f"{ME}/settings")],
)
async def test_every_account_endpoint_needs_a_token(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await client.request(method, path, json={})

    assert response.status_code == 401


@pytest.mark.parametrize("date_of_birth", [0, 86400, "86400", "1815-12-10T00:00:00", "18151210"])
async def test_date_of_birth_must_be_an_iso_date_string(
    client: httpx.AsyncClient, auth: dict[str, str], date_of_birth: object
) -> None:
    response = await client.patch(ME, headers=auth, json={"date_of_birth": date_of_birth})

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "date_of_birth"]
    assert (await client.get(ME, headers=auth)).json()["date_of_birth"] is None
