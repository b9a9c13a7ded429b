"""Send limits and code attempts, through the API on the real Redis."""

from datetime import timedelta

import httpx
import pytest

from app.core.config import Settings
from app.db.types import utcnow
from app.db.uow import UnitOfWork
from app.models import VerificationPurpose
from tests.phone_auth import SmsInbox, new_phone, new_username

API = "/api/v1"
INVALID_CODE = "urn:problem-type:invalid-verification-code"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # No cooldown, so the hourly limit is what these tests reach.
    return settings.model_copy(update={"verification_resend_cooldown_seconds": 0})


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def test_the_sixth_send_within_the_hour_is_refused(
    client: httpx.AsyncClient, inbox: SmsInbox, settings: Settings
) -> None:
    phone = new_phone()
    body = {"phone_number": phone, "username": new_username()}
    sends = [
        await client.post(f"{API}/auth/register", json=body),
        *[await client.post(f"{API}/auth/resend", json={"phone_number": phone}) for _ in range(4)],
    ]
    assert [send.status_code for send in sends] == [202] * settings.verification_sends_per_hour
    assert len(inbox.messages()) == 5

    sixth = await client.post(f"{API}/auth/login", json={"phone_number": phone})

    assert sixth.status_code == 429
    assert sixth.headers["content-type"] == "application/problem+json"
    assert 3500 < int(sixth.headers["Retry-After"]) <= 3600
    assert len(inbox.messages()) == 5
    # Other numbers keep their own budget.
    other = await client.post(f"{API}/auth/login", json={"phone_number": new_phone()})
    assert other.status_code == 202


async def test_a_resent_code_replaces_the_previous_one(
    client: httpx.AsyncClient, inbox: SmsInbox
) -> None:
    phone = new_phone()
    await client.post(
        f"{API}/auth/register", json={"phone_number": phone, "username": new_username()}
    )
    first = inbox.last_code()
    await client.post(f"{API}/auth/resend", json={"phone_number": phone})
    second = inbox.last_code()

    if first != second:  # one chance in a million that the new code is the old one
        stale = await client.post(f"{API}/auth/verify", json={"phone_number": phone, "code": first})
        assert stale.status_code == 400
    fresh = await client.post(f"{API}/auth/verify", json={"phone_number": phone, "code": second})
    assert fresh.status_code == 200


async def test_after_the_fifth_wrong_code_even_the_right_one_fails(
    client: httpx.AsyncClient, inbox: SmsInbox
) -> None:
    phone = new_phone()
    await client.post(
        f"{API}/auth/register", json={"phone_number": phone, "username": new_username()}
    )
    code = inbox.last_code()

    failures = [
        await client.post(f"{API}/auth/verify", json={"phone_number": phone, "code": wrong(code)})
        for _ in range(5)
    ]
    right = await client.post(f"{API}/auth/verify", json={"phone_number": phone, "code": code})

    assert [failure.status_code for failure in failures] == [400] * 5
    assert right.status_code == 400
    assert right.json()["type"] == INVALID_CODE
    # A burnt verification is not resent: a new login or registration starts over.
    resend = await client.post(f"{API}/auth/resend", json={"phone_number": phone})
    assert resend.status_code == 202
    assert inbox.last_code() == code


async def test_wrong_expired_used_and_unknown_codes_are_one_problem(
    client: httpx.AsyncClient, inbox: SmsInbox, uow: UnitOfWork
) -> None:
    phone, expiring = new_phone(), new_phone()
    for number in (phone, expiring):
        await client.post(
            f"{API}/auth/register", json={"phone_number": number, "username": new_username()}
        )
    expiring_code = inbox.last_code()
    record = await uow.verifications.latest_for(expiring, VerificationPurpose.REGISTRATION)
    assert record is not None
    record.expires_at = utcnow() - timedelta(seconds=1)
    await uow.session.commit()
    code = inbox.messages()[-2]["code"]

    async def verify(number: str, candidate: str) -> httpx.Response:
        return await client.post(
            f"{API}/auth/verify", json={"phone_number": number, "code": candidate}
        )

    wrong_answer = await verify(phone, wrong(code))
    expired_answer = await verify(expiring, expiring_code)
    assert (await verify(phone, code)).status_code == 200
    used_answer = await verify(phone, code)
    unknown_answer = await verify(new_phone(), code)

    answers = [wrong_answer, expired_answer, used_answer, unknown_answer]
    assert {answer.status_code for answer in answers} == {400}
    bodies = [{**answer.json(), "request_id": None} for answer in answers]
    assert all(body == bodies[0] for body in bodies)
    assert bodies[0]["type"] == INVALID_CODE


async def test_a_malformed_code_is_a_validation_error(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        f"{API}/auth/verify", json={"phone_number": new_phone(), "code": "12ab56"}
    )

    assert answer.status_code == 422
