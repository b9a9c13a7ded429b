import httpx

from app import __version__


async def test_health_reports_status_and_version(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__}


async def test_live_answers_without_dependencies(client: httpx.AsyncClient) -> None:
    response = await client.get("/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_every_response_carries_a_request_id(client: httpx.AsyncClient) -> None:
    response = await client.get("/live", headers={"X-Request-ID": "a" * 32})

    assert response.headers["X-Request-ID"] == "a" * 32
