"""Registration rules: usernames, validation, the cooldown between codes."""

import httpx
import pytest
from fastapi import FastAPI

from app.api.deps import UnitOfWorkDep, get_user_service
from app.crud.uow import UnitOfWork
from app.services.phone_codes import PHONE_PURPOSES
from app.services.users import UserService
from tests.phone_auth import SmsInbox, new_phone, new_username, sign_up, verify

API = "/api/v1"


async def test_a_taken_username_is_a_conflict_at_register(
    client: httpx.AsyncClient, inbox: SmsInbox
) -> None:
    username = new_username()
    await sign_up(client, inbox, username=username)

    answer = await client.post(
        f"{API}/auth/register",
        json={"phone_number": new_phone(), "username": username.upper()},
    )

    assert answer.status_code == 409
    assert answer.json()["field"] == "username"


async def register_each(
    client: httpx.AsyncClient, inbox: SmsInbox, username: str, phones: list[str]
) -> dict[str, tuple[httpx.Response, str]]:
    """A pending registration of `username` from each number; each one's answer and code."""
    codes = {}
    for phone in phones:
        sent = await client.post(
            f"{API}/auth/register", json={"phone_number": phone, "username": username}
        )
        codes[phone] = (sent, inbox.last_code())
    return codes


async def test_the_second_of_two_pending_registrations_of_a_username_gets_a_conflict(
    client: httpx.AsyncClient, inbox: SmsInbox, uow: UnitOfWork
) -> None:
    first, second = new_phone(), new_phone()
    codes = await register_each(client, inbox, new_username(), [first, second])

    winner = await verify(client, first, *codes[first])
    loser = await verify(client, second, *codes[second])

    assert winner.status_code == 200
    assert loser.status_code == 409
    assert loser.json()["field"] == "username"
    assert await uow.users.get_by_phone(second) is None
    assert await uow.users.get_by_phone(first) is not None


@pytest.mark.parametrize(
    "body",
    [
        {"phone_number": "+15550000001", "username": "valid_name"},
        {"phone_number": "+14155550000", "username": "admin"},
        {"phone_number": "+14155550000", "username": "no spaces"},
        {"phone_number": "+14155550000", "username": "valid_name", "email": "not-an-address"},
    ],
    ids=["invalid-phone", "reserved-username", "malformed-username", "invalid-email"],
)
async def test_invalid_registrations_are_validation_errors(
    client: httpx.AsyncClient, inbox: SmsInbox, body: dict[str, str]
) -> None:
    answer = await client.post(f"{API}/auth/register", json=body)

    assert answer.status_code == 422
    assert inbox.messages() == []


async def test_username_availability(client: httpx.AsyncClient, inbox: SmsInbox) -> None:
    taken = new_username()
    await sign_up(client, inbox, username=taken)

    async def available(username: str) -> httpx.Response:
        return await client.get(f"{API}/auth/username-available", params={"username": username})

    assert (await available(new_username())).json()["available"] is True
    assert (await available(taken.upper())).json() == {
        "username": taken.upper(),
        "available": False,
    }
    assert (await available("Admin")).json()["available"] is False
    assert (await available("1nvalid")).status_code == 422


async def test_a_resend_within_the_cooldown_is_refused(client: httpx.AsyncClient) -> None:
    phone = new_phone()
    sent = await client.post(
        f"{API}/auth/register", json={"phone_number": phone, "username": new_username()}
    )

    resend = await client.post(
        f"{API}/auth/resend", json={"phone_number": phone, "challenge": sent.json()["challenge"]}
    )

    assert resend.status_code == 429
    assert 0 < int(resend.headers["Retry-After"]) <= 60


class RacingUserService(UserService):
    """As if another registration passed the same check at the same moment."""

    async def _ensure_available(self, phone_number: str, username: str) -> None:
        return None


def racing_user_service(uow: UnitOfWorkDep) -> UserService:
    return RacingUserService(uow)


async def test_the_unique_index_settles_a_race_for_a_username(
    app: FastAPI, client: httpx.AsyncClient, inbox: SmsInbox, uow: UnitOfWork
) -> None:
    first, second = new_phone(), new_phone()
    codes = await register_each(client, inbox, new_username(), [first, second])
    await verify(client, first, *codes[first])
    app.dependency_overrides[get_user_service] = racing_user_service

    loser = await verify(client, second, *codes[second])

    assert loser.status_code == 409
    assert loser.json()["field"] == "username"
    assert await uow.users.get_by_phone(second) is None


async def test_the_text_is_in_the_language_the_client_prefers(
    client: httpx.AsyncClient, inbox: SmsInbox, uow: UnitOfWork
) -> None:
    phone = new_phone()

    await client.post(
        f"{API}/auth/register",
        json={"phone_number": phone, "username": new_username()},
        headers={"Accept-Language": "en;q=0.4, es-ES"},
    )

    assert "código" in inbox.messages()[-1]["body"]
    record = await uow.verifications.latest_for_any(phone, PHONE_PURPOSES)
    assert record is not None
    assert record.locale == "es-ES"


async def test_an_address_another_member_claimed_does_not_block_registering_with_it(
    client: httpx.AsyncClient, inbox: SmsInbox
) -> None:
    claimant = await sign_up(client, inbox)
    claimed = await client.patch(
        f"{API}/users/me",
        headers={"Authorization": f"Bearer {claimant['access_token']}"},
        json={"email": "owner@example.com"},
    )
    assert claimed.status_code == 200
    phone = new_phone()
    body = {"phone_number": phone, "username": new_username(), "email": "Owner@example.com"}

    registered = await client.post(f"{API}/auth/register", json=body)
    verified = await verify(client, phone, registered, inbox.last_code())

    assert verified.status_code == 200, verified.text
