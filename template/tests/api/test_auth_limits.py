"""Send limits and code attempts, through the API on the real Redis."""

from datetime import timedelta

import httpx
import pytest

from app.core.config import Settings
from app.crud.uow import UnitOfWork
from app.db.types import utcnow
from app.models import VerificationPurpose
from tests.phone_auth import SmsInbox, new_phone, new_username, verify

API = "/api/v1"
INVALID_CODE = "urn:problem-type:invalid-verification-code"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # No cooldown, so the hourly limit is what these tests reach.
    return settings.model_copy(update={"verification_resend_cooldown_seconds": 0})


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def challenge(code_sent: httpx.Response) -> str:
    value: str = code_sent.json()["challenge"]
    return value


async def test_one_client_gets_three_codes_per_number_and_the_number_six(
    client: httpx.AsyncClient, stranger: httpx.AsyncClient, inbox: SmsInbox, settings: Settings
) -> None:
    phone = new_phone()
    body = {"phone_number": phone, "username": new_username()}
    registered = await client.post(f"{API}/auth/register", json=body)
    resend = {"phone_number": phone, "challenge": challenge(registered)}
    sends = [registered, *[await client.post(f"{API}/auth/resend", json=resend) for _ in range(2)]]
    assert [send.status_code for send in sends] == [202] * 3
    assert len(inbox.messages()) == 3

    fourth = await client.post(f"{API}/auth/login", json={"phone_number": phone})

    assert fourth.status_code == 429
    assert fourth.headers["content-type"] == "application/problem+json"
    assert 800 < int(fourth.headers["Retry-After"]) <= 900
    assert len(inbox.messages()) == 3
    # Another client network has a share of its own, up to the number's cap of six.
    others = [
        await stranger.post(f"{API}/auth/login", json={"phone_number": phone}) for _ in range(3)
    ]
    assert [other.status_code for other in others] == [202] * 3
    assert settings.verification_sends_per_number == "6/15 minutes"
    assert (
        await stranger.post(f"{API}/auth/login", json={"phone_number": phone})
    ).status_code == 429
    # Other numbers keep their own budget.
    other = await client.post(f"{API}/auth/login", json={"phone_number": new_phone()})
    assert other.status_code == 202


async def test_a_resent_code_replaces_the_previous_one_of_its_challenge(
    client: httpx.AsyncClient, inbox: SmsInbox
) -> None:
    phone = new_phone()
    registered = await client.post(
        f"{API}/auth/register", json={"phone_number": phone, "username": new_username()}
    )
    first = inbox.last_code()
    resent = await client.post(
        f"{API}/auth/resend", json={"phone_number": phone, "challenge": challenge(registered)}
    )
    assert challenge(resent) == challenge(registered)
    second = inbox.last_code()

    if first != second:  # one chance in a million that the new code is the old one
        assert (await verify(client, phone, registered, first)).status_code == 400
    assert (await verify(client, phone, registered, second)).status_code == 200


async def test_a_resend_with_a_challenge_this_service_did_not_issue_sends_nothing(
    client: httpx.AsyncClient, inbox: SmsInbox
) -> None:
    phone = new_phone()
    registered = await client.post(
        f"{API}/auth/register", json={"phone_number": phone, "username": new_username()}
    )
    issued = challenge(registered)
    # A character inside the MAC: the last one's low bits are padding, not MAC.
    forged = issued[:-8] + ("A" if issued[-8] != "A" else "B") + issued[-7:]

    resend = await client.post(
        f"{API}/auth/resend", json={"phone_number": phone, "challenge": forged}
    )

    assert resend.status_code == 202
    assert len(inbox.messages()) == 1


async def test_after_the_fifth_wrong_code_even_the_right_one_fails(
    client: httpx.AsyncClient, inbox: SmsInbox
) -> None:
    phone = new_phone()
    registered = await client.post(
        f"{API}/auth/register", json={"phone_number": phone, "username": new_username()}
    )
    code = inbox.last_code()

    failures = [await verify(client, phone, registered, wrong(code)) for _ in range(5)]
    right = await verify(client, phone, registered, code)

    assert [failure.status_code for failure in failures] == [400] * 5
    assert right.status_code == 400
    assert right.json()["type"] == INVALID_CODE
    # A burnt verification is not resent: a new login or registration starts over.
    resend = await client.post(
        f"{API}/auth/resend", json={"phone_number": phone, "challenge": challenge(registered)}
    )
    assert resend.status_code == 202
    assert inbox.last_code() == code


async def test_wrong_expired_used_and_unknown_codes_are_one_problem(
    client: httpx.AsyncClient, inbox: SmsInbox, uow: UnitOfWork
) -> None:
    phone, expiring = new_phone(), new_phone()
    sent = {
        number: await client.post(
            f"{API}/auth/register", json={"phone_number": number, "username": new_username()}
        )
        for number in (phone, expiring)
    }
    expiring_code = inbox.last_code()
    record = await uow.verifications.latest_for(expiring, VerificationPurpose.REGISTRATION)
    assert record is not None
    record.expires_at = utcnow() - timedelta(seconds=1)
    await uow.session.commit()
    code = inbox.messages()[-2]["code"]

    wrong_answer = await verify(client, phone, sent[phone], wrong(code))
    expired_answer = await verify(client, expiring, sent[expiring], expiring_code)
    assert (await verify(client, phone, sent[phone], code)).status_code == 200
    used_answer = await verify(client, phone, sent[phone], code)
    unknown_answer = await verify(client, new_phone(), sent[phone], code)
    other_challenge = await verify(client, phone, sent[expiring], code)

    answers = [wrong_answer, expired_answer, used_answer, unknown_answer, other_challenge]
    assert {answer.status_code for answer in answers} == {400}
    bodies = [{**answer.json(), "request_id": None} for answer in answers]
    assert all(body == bodies[0] for body in bodies)
    assert bodies[0]["type"] == INVALID_CODE


async def test_a_malformed_code_is_a_validation_error(client: httpx.AsyncClient) -> None:
    body = {"phone_number": new_phone(), "challenge": "A" * 43, "code": "12ab56"}
    answer = await client.post(f"{API}/auth/verify", json=body)

    assert answer.status_code == 422
    assert (
        await client.post(f"{API}/auth/verify", json={**body, "code": "123456"})
    ).status_code == 400
    missing = await client.post(f"{API}/auth/verify", json={**body, "challenge": None})
    assert missing.status_code == 422
