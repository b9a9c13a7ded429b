"""The SMS destination policy, from outside: numbers the service never texts get a 422."""

import httpx
import pytest

from app.crud.uow import UnitOfWork
from app.models import VerificationPurpose
from tests.phone_auth import SmsInbox, new_phone, new_username
from tests.sessions import create_user

API = "/api/v1"
NOT_SUPPORTED = "urn:problem-type:destination-not-supported"

# Valid numbers (by `phonenumbers`) that SMS pumping favours.
REFUSED_DESTINATIONS = {
    "satellite": "+881612345678",  # +881, Global Mobile Satellite System
    "international-network": "+883510012345",  # +883, International Networks
    "uk-personal-number": "+447012345678",  # 070, billed at premium rates to the sender
    "cuba": "+5351234567",
    "iran": "+989123456789",
    "north-korea": "+8501921234567",
}


@pytest.mark.parametrize(
    "phone", list(REFUSED_DESTINATIONS.values()), ids=list(REFUSED_DESTINATIONS)
)
async def test_a_destination_outside_the_policy_is_refused_and_nothing_is_sent(
    client: httpx.AsyncClient, inbox: SmsInbox, uow: UnitOfWork, phone: str
) -> None:
    requests = [
        await client.post(
            f"{API}/auth/register", json={"phone_number": phone, "username": new_username()}
        ),
        await client.post(f"{API}/auth/login", json={"phone_number": phone}),
        # A well-formed challenge: the policy answers before it is looked at.
        await client.post(
            f"{API}/auth/resend", json={"phone_number": phone, "challenge": "A" * 43}
        ),
    ]

    for response in requests:
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["type"] == NOT_SUPPORTED
        assert problem["field"] == "phone_number"
        assert "does not send text messages" in problem["detail"]
    assert inbox.messages() == []
    assert await uow.verifications.latest_for(phone, VerificationPurpose.REGISTRATION) is None
    assert await uow.verifications.latest_for(phone, VerificationPurpose.LOGIN) is None


async def test_the_refusal_is_the_same_whether_or_not_the_number_has_an_account(
    client: httpx.AsyncClient, inbox: SmsInbox, uow: UnitOfWork
) -> None:
    # Two UK personal numbers (070): one with an account, one without.
    await create_user(uow, phone_number="+447012345678")

    def shape(response: httpx.Response) -> tuple[int, dict[str, object]]:
        body = response.json()
        return response.status_code, {
            key: value for key, value in body.items() if key not in {"request_id"}
        }

    known = await client.post(f"{API}/auth/login", json={"phone_number": "+447012345678"})
    unknown = await client.post(f"{API}/auth/login", json={"phone_number": "+447012345679"})

    assert shape(known) == shape(unknown)
    assert known.status_code == 422
    assert inbox.messages() == []


async def test_a_premium_rate_number_is_refused_before_the_policy(
    client: httpx.AsyncClient, inbox: SmsInbox
) -> None:
    response = await client.post(f"{API}/auth/login", json={"phone_number": "+449012345678"})

    assert response.status_code == 422
    assert "cannot receive text messages" in response.text
    assert inbox.messages() == []


async def test_a_number_inside_the_policy_gets_its_code(
    client: httpx.AsyncClient, inbox: SmsInbox
) -> None:
    for phone in (new_phone(), "+4915112345678", "+447400123456"):
        body = {"phone_number": phone, "username": new_username()}
        response = await client.post(f"{API}/auth/register", json=body)
        assert response.status_code == 202, response.text
    assert len(inbox.messages()) == 3
