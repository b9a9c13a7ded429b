"""Admin endpoints: 401 without a token, 403 for users, and what administrators can do."""

import httpx
import pytest
from fastapi import FastAPI

from app.crud.uow import UnitOfWork
from app.models import User
from tests.sessions import bearer, create_user, sign_in

USERS = "/api/v1/admin/users"


@pytest.mark.parametrize(("method", "path"), [("GET", USERS), ("PATCH", f"{USERS}/{'0' * 32}")])
async def test_without_a_token_admin_endpoints_are_401(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await client.request(method, path, json={})

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path"), [("GET", USERS), ("PATCH", f"{USERS}/{'0' * 32}")])
async def test_for_a_normal_user_admin_endpoints_are_403(
    client: httpx.AsyncClient, member_auth: dict[str, str], method: str, path: str
) -> None:
    response = await client.request(method, path, headers=member_auth, json={})

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:problem-type:permission-denied"


async def test_an_admin_lists_accounts_newest_first(
    client: httpx.AsyncClient, admin_auth: dict[str, str], admin: User, member: User
) -> None:
    response = await client.get(USERS, headers=admin_auth)

    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["items"]]
    assert ids.index(str(member.id)) < ids.index(str(admin.id))
    assert {"is_active", "is_admin", "phone_number", "last_login_at"} <= set(
        response.json()["items"][0]
    )


async def test_the_list_is_paginated(
    client: httpx.AsyncClient, admin_auth: dict[str, str], uow: UnitOfWork
) -> None:
    for number in range(3):
        await create_user(uow, username=f"paged{number}")

    first = (await client.get(USERS, headers=admin_auth, params={"q": "paged", "limit": 2})).json()
    second = (
        await client.get(
            USERS,
            headers=admin_auth,
            params={"q": "paged", "limit": 2, "cursor": first["next_cursor"]},
        )
    ).json()

    assert [u["username"] for u in first["items"]] == ["paged2", "paged1"]
    assert [u["username"] for u in second["items"]] == ["paged0"]
    assert second["next_cursor"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "MEMB"}, {"member"}),
        ({"is_admin": "true", "q": "b"}, {"boss"}),
        ({"is_active": "false", "q": "dormant"}, {"dormant"}),
        ({"q": "dormant", "include_deleted": "true"}, {"dormant", "dormant_gone"}),
        ({"q": "dormant"}, {"dormant"}),
    ],
)
async def test_filters_narrow_the_list(
    client: httpx.AsyncClient,
    admin_auth: dict[str, str],
    member: User,
    uow: UnitOfWork,
    params: dict[str, str],
    expected: set[str],
) -> None:
    await create_user(uow, username="dormant", is_active=False)
    gone = await create_user(uow, username="dormant_gone")
    gone.soft_delete()
    await uow.session.commit()

    response = await client.get(USERS, headers=admin_auth, params=params)

    assert {item["username"] for item in response.json()["items"]} == expected


async def test_a_phone_prefix_finds_the_account(
    client: httpx.AsyncClient, admin_auth: dict[str, str], member: User
) -> None:
    response = await client.get(USERS, headers=admin_auth, params={"q": member.phone_number})

    assert [item["id"] for item in response.json()["items"]] == [str(member.id)]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"cursor": "bogus!"}])
async def test_bad_paging_is_refused(
    client: httpx.AsyncClient, admin_auth: dict[str, str], params: dict[str, int | str]
) -> None:
    response = await client.get(USERS, headers=admin_auth, params=params)

    assert response.status_code == 422


async def test_an_admin_grants_admin_rights(
    client: httpx.AsyncClient, admin_auth: dict[str, str], member: User
) -> None:
    response = await client.patch(
        f"{USERS}/{member.id}", headers=admin_auth, json={"is_admin": True}
    )

    assert response.status_code == 200
    assert response.json()["is_admin"] is True


async def test_a_deactivated_account_is_signed_out_at_once(
    app: FastAPI,
    client: httpx.AsyncClient,
    admin_auth: dict[str, str],
    member: User,
    member_auth: dict[str, str],
    uow: UnitOfWork,
) -> None:
    response = await client.patch(
        f"{USERS}/{member.id}", headers=admin_auth, json={"is_active": False}
    )

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert (await client.get("/api/v1/users/me", headers=member_auth)).status_code == 401
    reactivated = await client.patch(
        f"{USERS}/{member.id}", headers=admin_auth, json={"is_active": True}
    )
    assert reactivated.json()["is_active"] is True
    fresh = await sign_in(app, uow, member)
    assert (
        await client.get("/api/v1/users/me", headers=bearer(fresh.access_token))
    ).status_code == 200


@pytest.mark.parametrize("change", [{"is_active": False}, {"is_admin": False}])
async def test_an_admin_cannot_lock_themselves_out(
    client: httpx.AsyncClient, admin_auth: dict[str, str], admin: User, change: dict[str, bool]
) -> None:
    response = await client.patch(f"{USERS}/{admin.id}", headers=admin_auth, json=change)

    assert response.status_code == 409


async def test_an_unknown_account_is_404(
    client: httpx.AsyncClient, admin_auth: dict[str, str]
) -> None:
    response = await client.patch(
        f"{USERS}/{'0' * 32}", headers=admin_auth, json={"is_admin": True}
    )

    assert response.status_code == 404
