import logging
import re

import httpx
import pytest


async def test_requests_are_logged_with_status_and_request_id(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="app.request"):
        response = await client.get("/no/such/route", headers={"X-Request-ID": "b" * 32})

    [record] = [r for r in caplog.records if r.name == "app.request"]
    event = record.msg
    assert isinstance(event, dict)
    assert event["status"] == response.status_code == 404
    assert event["path"] == "/no/such/route"
    assert event["request_id"] == "b" * 32


@pytest.mark.parametrize(
    "request_id",
    ["abc", "ingress-7f3a.2:42_x", "x" * 128, "0af7651916cd43dd8448eb211c80319c"],
)
async def test_a_safe_request_id_from_the_client_is_kept(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, request_id: str
) -> None:
    with caplog.at_level(logging.INFO, logger="app.request"):
        response = await client.get("/no/such/route", headers={"X-Request-ID": request_id})

    [record] = [r for r in caplog.records if r.name == "app.request"]
    assert response.headers["X-Request-ID"] == request_id
    assert response.json()["request_id"] == request_id
    assert isinstance(record.msg, dict)
    assert record.msg["request_id"] == request_id


@pytest.mark.parametrize(
    "request_id", ["x" * 129, "has space", "semi;colon", 'quote"', "line\\nbreak", "ünï"]
)
async def test_an_unsafe_request_id_is_replaced_and_never_logged(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, request_id: str
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = await client.get(
            "/no/such/route", headers=[(b"X-Request-ID", request_id.encode())]
        )

    replacement = response.headers["X-Request-ID"]
    assert replacement != request_id
    assert re.fullmatch(r"[0-9a-f]{32}", replacement)
    assert response.json()["request_id"] == replacement
    assert request_id not in caplog.text
    assert all(request_id not in str(record.msg) for record in caplog.records)


async def test_probes_are_not_logged(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="app.request"):
        await client.get("/live")

    assert not [r for r in caplog.records if r.name == "app.request"]
