"""Send budgets, from outside on the real Redis: many numbers and many clients still stop."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from app.core.app_settings import store_settings
from app.core.config import Settings
from tests.phone_auth import SmsInbox, new_username

API = "/api/v1"
RATE_LIMITED = "urn:problem-type:rate-limited"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Small caps, so a test reaches each with a handful of requests; the others stay out of
    # the way unless a test lowers them.
    return settings.model_copy(
        update={
            "sms_budget_per_client_per_hour": 1000,
            "sms_budget_per_prefix_per_hour": 1000,
            "sms_budget_per_country_per_hour": 1000,
            "sms_budget_global_per_hour": 1000,
        }
    )


def from_address(app: FastAPI, host: str) -> httpx.AsyncClient:
    """A client whose requests come from `host`, as the service sees its peer."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(host, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.fixture
async def clients(app: FastAPI) -> AsyncIterator[list[httpx.AsyncClient]]:
    """Clients at distinct addresses, as an attacker with many of them."""
    clients = [from_address(app, f"198.51.100.{n}") for n in range(1, 11)]
    yield clients
    for client in clients:
        await client.aclose()


async def register(client: httpx.AsyncClient, phone: str) -> httpx.Response:
    body = {"phone_number": phone, "username": new_username()}
    return await client.post(f"{API}/auth/register", json=body)


def budget_settings(settings: Settings, **caps: int) -> Settings:
    return settings.model_copy(update={f"sms_budget_{cap}": value for cap, value in caps.items()})


@pytest.mark.usefixtures("structured_logging")
async def test_a_burst_of_numbers_in_one_prefix_from_many_addresses_stops_at_the_cap(
    app: FastAPI,
    clients: list[httpx.AsyncClient],
    inbox: SmsInbox,
    settings: Settings,
) -> None:
    store_settings(app, budget_settings(settings, per_prefix_per_hour=3))
    # Ten numbers sharing their first 8 digits (14155551), each from its own address.
    answers = [await register(client, f"+141555510{n:02d}") for n, client in enumerate(clients)]

    assert [answer.status_code for answer in answers] == [202] * 3 + [429] * 7
    refused = answers[3]
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == RATE_LIMITED
    assert "numbers like this one" in refused.json()["detail"]
    assert 3500 < int(refused.headers["Retry-After"]) <= 3600
    assert len(inbox.messages()) == 3
    warnings = [
        record.msg
        for record in inbox.records()
        if isinstance(record.msg, dict) and record.msg.get("event") == "sms_budget_exceeded"
    ]
    assert len(warnings) == 7
    assert {(w["cap"], w["country"], w["per_hour"]) for w in warnings} == {("prefix", "US", 3)}
    assert all("141555510" not in str(warning) for warning in warnings)
    # Another prefix keeps its own budget.
    assert (await register(clients[0], "+12025550123")).status_code == 202


async def test_one_address_stops_at_its_cap_across_numbers_and_endpoints(
    app: FastAPI, clients: list[httpx.AsyncClient], inbox: SmsInbox, settings: Settings
) -> None:
    store_settings(app, budget_settings(settings, per_client_per_hour=3))
    attacker = clients[0]
    answers = [
        await register(attacker, "+12025550101"),
        await attacker.post(f"{API}/auth/login", json={"phone_number": "+13125550102"}),
        await attacker.post(f"{API}/auth/login", json={"phone_number": "+16505550103"}),
        await register(attacker, "+12125550104"),
    ]

    assert [answer.status_code for answer in answers] == [202, 202, 202, 429]
    assert "from your network" in answers[3].json()["detail"]
    assert (await register(clients[1], "+12125550105")).status_code == 202


async def test_a_country_stops_at_its_cap_whatever_the_prefixes(
    app: FastAPI, clients: list[httpx.AsyncClient], settings: Settings
) -> None:
    store_settings(app, budget_settings(settings, per_country_per_hour=2))
    phones = ["+12025550111", "+13125550112", "+16505550113"]

    answers = [
        await register(client, phone) for client, phone in zip(clients, phones, strict=False)
    ]

    assert [answer.status_code for answer in answers] == [202, 202, 429]
    assert "for this country" in answers[2].json()["detail"]
    assert (await register(clients[3], "+4915112345678")).status_code == 202


async def test_past_the_global_budget_the_service_stops_sending_and_answers_503(
    app: FastAPI, clients: list[httpx.AsyncClient], inbox: SmsInbox, settings: Settings
) -> None:
    store_settings(app, budget_settings(settings, global_per_hour=2))
    phones = ["+12025550121", "+4915112345679", "+13125550122", "+447400123457"]

    answers = [
        await register(client, phone) for client, phone in zip(clients, phones, strict=False)
    ]

    assert [answer.status_code for answer in answers] == [202, 202, 503, 503]
    exhausted = answers[2]
    assert exhausted.headers["content-type"] == "application/problem+json"
    assert exhausted.json()["type"] == "urn:problem-type:sms-budget-exhausted"
    assert 3500 < int(exhausted.headers["Retry-After"]) <= 3600
    assert len(inbox.messages()) == 2
