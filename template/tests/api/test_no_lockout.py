"""A stranger who knows a member's number cannot lock them out, and still cannot guess a code.

Played from outside as the attacks of issue 21 were: the stranger is a client on another
network, with the same API as anyone.
"""

import httpx
import pytest

from app.core.config import Settings
from tests.phone_auth import SmsInbox, new_phone, sign_up, verify

API = "/api/v1"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # No cooldown: the stranger asks right after the owner.
    return settings.model_copy(update={"verification_resend_cooldown_seconds": 0})


def wrong(code: str, offset: int = 1) -> str:
    return f"{(int(code) + offset) % 1_000_000:06d}"


async def test_a_strangers_guesses_and_requests_leave_the_owners_code_valid(
    client: httpx.AsyncClient, stranger: httpx.AsyncClient, inbox: SmsInbox
) -> None:
    phone = new_phone()
    await sign_up(client, inbox, phone=phone)
    owner_login = await client.post(f"{API}/auth/login", json={"phone_number": phone})
    code = inbox.last_code()

    # Five wrong codes with the stranger's own challenge, then as many login requests as
    # their network is allowed (each one a new code for the owner's phone).
    theirs = await stranger.post(f"{API}/auth/login", json={"phone_number": phone})
    guesses = [await verify(stranger, phone, theirs, wrong(code, n)) for n in range(1, 6)]
    requests = [
        await stranger.post(f"{API}/auth/login", json={"phone_number": phone}) for _ in range(3)
    ]

    assert [guess.status_code for guess in guesses] == [400] * 5
    assert [request.status_code for request in requests] == [202, 202, 429]
    signed_in = await verify(client, phone, owner_login, code)
    assert signed_in.status_code == 200, signed_in.text


async def test_the_owner_can_still_ask_for_a_code_after_a_strangers_requests(
    client: httpx.AsyncClient, stranger: httpx.AsyncClient, inbox: SmsInbox
) -> None:
    phone = new_phone()
    await sign_up(client, inbox, phone=phone)
    for _ in range(4):
        await stranger.post(f"{API}/auth/login", json={"phone_number": phone})

    login = await client.post(f"{API}/auth/login", json={"phone_number": phone})

    assert login.status_code == 202
    assert (await verify(client, phone, login, inbox.last_code())).status_code == 200


async def test_guessing_stays_bounded_per_number(
    client: httpx.AsyncClient, stranger: httpx.AsyncClient, inbox: SmsInbox, settings: Settings
) -> None:
    """Every code the number may be sent in a window, each tried as often as allowed: even
    the right code is refused after five wrong ones, and no further code can be had."""
    phone = new_phone()
    await sign_up(client, inbox, phone=phone)  # the window's first code, used
    requested = [
        (
            asker,
            await asker.post(f"{API}/auth/login", json={"phone_number": phone}),
            inbox.last_code(),
        )
        for asker in (client, client, stranger, stranger, stranger)
    ]

    refused = [
        (await verify(asker, phone, sent, wrong(code, n))).status_code
        for asker, sent, code in requested
        for n in range(1, settings.verification_max_attempts + 1)
    ]
    burnt = [
        (await verify(asker, phone, sent, code)).status_code for asker, sent, code in requested
    ]
    more = [
        (await asker.post(f"{API}/auth/login", json={"phone_number": phone})).status_code
        for asker in (client, stranger)
    ]

    assert [sent.status_code for _, sent, _ in requested] == [202] * 5
    assert refused == [400] * 25
    assert burnt == [400] * 5
    assert more == [429, 429]
