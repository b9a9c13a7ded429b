"""Register, login and resend answer alike for numbers with and without an account."""

import httpx
import pytest

from app.core.config import Settings
from tests.phone_auth import SmsInbox, new_phone, new_username, sign_up

API = "/api/v1"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # No cooldown: each test sends several codes to one number in a row.
    return settings.model_copy(update={"verification_resend_cooldown_seconds": 0})


def comparable(response: httpx.Response) -> tuple[int, bytes, dict[str, str]]:
    """Status, exact body bytes and headers, apart from the request id and the challenge
    (random for every request, the same length for every number)."""
    headers = {k: v for k, v in response.headers.items() if k.lower() != "x-request-id"}
    challenge = response.json()["challenge"]
    assert len(challenge) == 43
    return response.status_code, response.content.replace(challenge.encode(), b"<c>"), headers


@pytest.mark.parametrize(
    "path", ["/auth/register", "/auth/login", "/auth/resend"], ids=lambda path: path
)
async def test_known_and_unknown_numbers_get_the_same_answer(
    client: httpx.AsyncClient, inbox: SmsInbox, path: str
) -> None:
    known, unknown = new_phone(), new_phone()
    await sign_up(client, inbox, phone=known)
    challenges: dict[str, str] = {}
    if path == "/auth/resend":  # both with an open verification, as an attacker would start
        for number in (known, unknown):
            login = await client.post(f"{API}/auth/login", json={"phone_number": number})
            challenges[number] = login.json()["challenge"]

    answers = [
        await client.post(
            f"{API}{path}",
            json={
                "phone_number": number,
                "username": new_username(),
                "challenge": challenges.get(number, ""),
            },
        )
        for number in (known, unknown)
    ]

    assert answers[0].status_code == 202
    assert comparable(answers[0]) == comparable(answers[1])
    assert answers[0].headers["x-request-id"] != answers[1].headers["x-request-id"]
