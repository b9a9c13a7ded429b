"""The phone flows end to end: real database, real Redis, codes read from the console log."""

import httpx
import pytest
from sqlalchemy import select

from app.core.config import Settings
from app.crud.uow import UnitOfWork
from app.models import RefreshToken, RevocationReason, VerificationPurpose, VerificationRecord
from tests.phone_auth import SmsInbox, bearer, new_phone, new_username, sign_up, verify

API = "/api/v1"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # No cooldown: these flows send a login code right after the registration code.
    return settings.model_copy(update={"verification_resend_cooldown_seconds": 0})


async def test_register_verify_me_refresh_reuse_logout(
    client: httpx.AsyncClient, inbox: SmsInbox, uow: UnitOfWork, settings: Settings
) -> None:
    phone, username = new_phone(), new_username()

    registered = await client.post(
        f"{API}/auth/register",
        json={"phone_number": phone, "username": username, "display_name": "Ada"},
    )
    assert registered.status_code == 202
    code = inbox.last_code()
    verified = await verify(client, phone, registered, code)
    assert verified.status_code == 200
    tokens = verified.json()
    assert tokens["token_type"] == "bearer"
    # The configured lifetime, not a number: teams change it (ACCESS_TOKEN_TTL_SECONDS).
    assert tokens["expires_in"] == settings.access_token_ttl_seconds

    me = await client.get(f"{API}/users/me", headers=bearer(tokens))
    assert me.status_code == 200
    assert me.json()["username"] == username
    assert me.json()["display_name"] == "Ada"
    assert me.json()["phone_number"] == phone
    assert me.json()["phone_verified_at"] is not None

    refreshed = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 200
    rotated = refreshed.json()
    assert rotated["refresh_token"] != tokens["refresh_token"]

    # The retired token again: treated as theft, the whole session goes.
    reused = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert reused.status_code == 401
    family_gone = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": rotated["refresh_token"]}
    )
    assert family_gone.status_code == 401
    user = await uow.users.get_by_phone(phone)
    assert user is not None
    session_tokens = await uow.session.scalars(
        select(RefreshToken).where(RefreshToken.user_id == user.id)
    )
    assert {token.revoked_reason for token in session_tokens} == {
        RevocationReason.ROTATED,
        RevocationReason.REUSE_DETECTED,
    }

    # ...and with it every access token the session was given.
    for pair in (tokens, rotated):
        refused = await client.get(f"{API}/users/me", headers=bearer(pair))
        assert refused.status_code == 401
        assert refused.headers["WWW-Authenticate"] == "Bearer"


async def test_login_verify_me_refresh_logout(client: httpx.AsyncClient, inbox: SmsInbox) -> None:
    phone = new_phone()
    await sign_up(client, inbox, phone=phone)

    login = await client.post(f"{API}/auth/login", json={"phone_number": phone})
    assert login.status_code == 202
    assert inbox.messages()[-1]["purpose"] == "login"
    assert "sign-in code" in inbox.messages()[-1]["body"]
    assert "already have" not in inbox.messages()[-1]["body"]
    verified = await verify(client, phone, login, inbox.last_code())
    assert verified.status_code == 200
    tokens = verified.json()
    me = await client.get(f"{API}/users/me", headers=bearer(tokens))
    assert me.json()["phone_number"] == phone

    refreshed = await client.post(
        f"{API}/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 200
    new_pair = refreshed.json()
    assert (await client.post(f"{API}/auth/logout", headers=bearer(new_pair))).status_code == 204
    # The session is over: both of its access tokens and its refresh token.
    for pair in (tokens, new_pair):
        assert (await client.get(f"{API}/users/me", headers=bearer(pair))).status_code == 401
    assert (
        await client.post(f"{API}/auth/refresh", json={"refresh_token": new_pair["refresh_token"]})
    ).status_code == 401


async def test_registering_a_known_number_sends_a_login_code_for_the_owner(
    client: httpx.AsyncClient, inbox: SmsInbox
) -> None:
    phone = new_phone()
    owner = await sign_up(client, inbox, phone=phone)
    owner_id = (await client.get(f"{API}/users/me", headers=bearer(owner))).json()["id"]

    again = await client.post(
        f"{API}/auth/register", json={"phone_number": phone, "username": new_username()}
    )
    assert again.status_code == 202
    message = inbox.messages()[-1]
    assert message["purpose"] == "login"
    assert "already have" in message["body"]
    verified = await verify(client, phone, again, inbox.last_code())

    assert verified.status_code == 200
    me = await client.get(f"{API}/users/me", headers=bearer(verified.json()))
    assert me.json()["id"] == owner_id


async def test_a_login_code_for_an_unknown_number_is_recorded_but_not_sent(
    client: httpx.AsyncClient, inbox: SmsInbox, uow: UnitOfWork
) -> None:
    phone = new_phone()

    login = await client.post(f"{API}/auth/login", json={"phone_number": phone})

    assert login.status_code == 202
    assert inbox.messages() == []
    recorded = await uow.verifications.latest_for(phone, VerificationPurpose.LOGIN)
    assert recorded is not None
    assert recorded.user_id is None
    refused = await verify(client, phone, login, "123456")
    assert refused.status_code == 400


async def test_the_code_is_never_stored_in_clear(
    client: httpx.AsyncClient, inbox: SmsInbox, uow: UnitOfWork
) -> None:
    phone = new_phone()
    await client.post(
        f"{API}/auth/register", json={"phone_number": phone, "username": new_username()}
    )
    code = inbox.last_code()

    record = await uow.session.scalar(
        select(VerificationRecord).where(VerificationRecord.target == phone)
    )

    assert record is not None
    stored = [str(value) for value in record.__dict__.values()]
    assert not any(code in value for value in stored)
    assert len(record.code_hash) == 64


async def test_auth_events_are_logged_with_the_masked_phone_only(
    client: httpx.AsyncClient, inbox: SmsInbox
) -> None:
    phone = new_phone()
    tokens = await sign_up(client, inbox, phone=phone)

    records = [
        record.msg
        for record in inbox.records()
        if isinstance(record.msg, dict) and record.msg.get("event") != "sms_console"
    ]
    events = {record["event"] for record in records}
    assert {"auth_code_requested", "auth_verified"} <= events
    logged = " ".join(str(record) for record in records)
    assert "+141******" in logged
    assert phone not in logged
    assert tokens["access_token"] not in logged
    assert tokens["refresh_token"] not in logged


async def test_a_disabled_account_cannot_sign_in(
    client: httpx.AsyncClient, inbox: SmsInbox, uow: UnitOfWork
) -> None:
    phone = new_phone()
    await sign_up(client, inbox, phone=phone)
    user = await uow.users.get_by_phone(phone)
    assert user is not None
    user.is_active = False
    await uow.session.commit()

    login = await client.post(f"{API}/auth/login", json={"phone_number": phone})
    refused = await verify(client, phone, login, inbox.last_code())

    assert refused.status_code == 403
