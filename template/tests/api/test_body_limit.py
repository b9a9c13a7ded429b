"""Request bodies over MAX_REQUEST_BODY_BYTES get 413 problem+json before they are parsed."""

import json
from collections.abc import AsyncIterator

import httpx

from app.core.config import Settings

REGISTER = "/api/v1/auth/register"
CHUNK = b" " * 16 * 1024  # JSON whitespace: a valid body, only too long


def oversized_json(settings: Settings) -> bytes:
    padding = " " * settings.max_request_body_bytes
    # Built by concatenation: a doubled brace would read as template syntax in the template.
    return ('{"phone_number": "+14155550100",' + padding + '"username": "ada"}').encode()


def assert_too_large(response: httpx.Response) -> None:
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:problem-type:content-too-large"
    assert problem["status"] == 413
    assert problem["request_id"] == response.headers["X-Request-ID"]


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
