import logging

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


async def test_probes_are_not_logged(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="app.request"):
        await client.get("/live")

    assert not [r for r in caplog.records if r.name == "app.request"]
