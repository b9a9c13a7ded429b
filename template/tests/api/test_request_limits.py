"""Requests over a limit get a problem+json answer before anything parses them: too many or
too large headers 431, a body over MAX_REQUEST_BODY_BYTES 413, a body too slow to arrive 408.
(tests/integration/test_request_limits_server.py sends them to a started server.)"""

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from app.core.config import Settings
from app.db.session import SessionFactory
from app.main import create_app
from tests.apps import started_in_transaction

REGISTER = "/api/v1/auth/register"
CHUNK = b" " * 16 * 1024  # JSON whitespace: a valid body, only too long


def oversized_json(settings: Settings) -> bytes:
    padding = " " * settings.max_request_body_bytes
    # Built by concatenation: a doubled brace would read as template syntax in the template.
    return ('{"phone_number": "+14155550100",' + padding + '"username": "ada"}').encode()


def assert_problem(response: httpx.Response, status: int, problem_type: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == f"urn:problem-type:{problem_type}"
    assert problem["status"] == status
    assert problem["request_id"] == response.headers["X-Request-ID"]


def assert_too_large(response: httpx.Response) -> None:
    assert_problem(response, 413, "content-too-large")


async def test_declared_oversized_body_is_refused(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    body = oversized_json(settings)

    response = await client.post(
        REGISTER, content=body, headers={"Content-Type": "application/json"}
    )

    assert int(response.request.headers["Content-Length"]) == len(body)
    assert_too_large(response)


async def test_chunked_oversized_body_is_refused_before_it_is_all_read(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    chunks_sent = 0
    total_chunks = 4 * settings.max_request_body_bytes // len(CHUNK)

    async def stream() -> AsyncIterator[bytes]:
        nonlocal chunks_sent
        yield b'{"phone_number": "+14155550100",'
        for _ in range(total_chunks):
            chunks_sent += 1
            yield CHUNK
        yield b'"username": "ada"}'

    response = await client.post(
        REGISTER, content=stream(), headers={"Content-Type": "application/json"}
    )

    assert "Content-Length" not in response.request.headers
    assert_too_large(response)
    assert chunks_sent <= settings.max_request_body_bytes // len(CHUNK) + 1 < total_chunks


async def test_body_at_the_limit_is_parsed_as_usual(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    document = json.dumps({"phone_number": "not a phone", "username": "ada"})
    body = document[:-1] + " " * (settings.max_request_body_bytes - len(document)) + "}"

    response = await client.post(
        REGISTER, content=body.encode(), headers={"Content-Type": "application/json"}
    )

    assert len(body.encode()) == settings.max_request_body_bytes
    assert response.status_code == 422


async def test_too_many_header_lines_are_refused(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    headers = [(f"X-Padding-{index}", "1") for index in range(settings.max_request_headers)]

    response = await client.get("/health", headers=headers)

    assert_problem(response, 431, "request-header-fields-too-large")
    assert str(settings.max_request_headers) in response.json()["detail"]


async def test_headers_over_the_byte_limit_are_refused(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    response = await client.get(
        "/health", headers={"X-Padding": "a" * settings.max_request_header_bytes}
    )

    assert_problem(response, 431, "request-header-fields-too-large")


async def test_usual_headers_pass(client: httpx.AsyncClient) -> None:
    headers = {"Authorization": "Bearer " + "t" * 1024, "User-Agent": "app/1.0 (iPhone)"}

    assert (await client.get("/health", headers=headers)).status_code == 200


@pytest.fixture
async def impatient_app(
    settings: Settings, session_factory: SessionFactory
) -> AsyncIterator[FastAPI]:
    app = create_app(settings.model_copy(update={"request_body_timeout_seconds": 0.2}))
    async with started_in_transaction(app, session_factory):
        yield app


async def test_a_body_that_does_not_arrive_in_time_is_408_and_closes_the_connection(
    impatient_app: FastAPI,
) -> None:
    async def trickle() -> AsyncIterator[bytes]:
        yield b'{"phone_number": '
        await asyncio.sleep(1)
        yield b'"+14155550100"}'

    transport = httpx.ASGITransport(app=impatient_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.post(
            "/api/v1/auth/login", content=trickle(), headers={"Content-Type": "application/json"}
        )

    assert_problem(response, 408, "request-timeout")
    assert response.headers["connection"] == "close"


async def test_a_body_in_time_is_read_as_usual(impatient_app: FastAPI) -> None:
    async def parts() -> AsyncIterator[bytes]:
        yield b'{"phone_number": '
        yield b'"not a phone"}'

    transport = httpx.ASGITransport(app=impatient_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.post(
            "/api/v1/auth/login", content=parts(), headers={"Content-Type": "application/json"}
        )

    assert response.status_code == 422
