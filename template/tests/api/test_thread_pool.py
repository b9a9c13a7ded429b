"""The hot paths never hop to the thread pool: every dependency and handler is `async def`.

FastAPI runs a plain `def` dependency or handler through `run_in_threadpool`; a spy on the
two places it does so counts the hops of a real request.
"""

from collections.abc import Callable
from typing import Any

import fastapi.dependencies.utils
import fastapi.routing
import httpx
import pytest
from fastapi import FastAPI

from tests.phone_auth import new_phone, new_username

API = "/api/v1"


@pytest.fixture
def thread_pool_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    for module in (fastapi.dependencies.utils, fastapi.routing):
        original = module.run_in_threadpool

        def spy(
            func: Callable[..., Any], *args: Any, _original: Any = original, **kwargs: Any
        ) -> Any:
            calls.append(getattr(func, "__qualname__", repr(func)))
            return _original(func, *args, **kwargs)

        monkeypatch.setattr(module, "run_in_threadpool", spy)
    return calls


async def test_the_authenticated_read_runs_no_function_in_the_thread_pool(
    client: httpx.AsyncClient, member_auth: dict[str, str], thread_pool_calls: list[str]
) -> None:
    answer = await client.get(f"{API}/users/me", headers=member_auth)

    assert answer.status_code == 200
    assert thread_pool_calls == []


async def test_registration_runs_no_function_in_the_thread_pool(
    client: httpx.AsyncClient, thread_pool_calls: list[str]
) -> None:
    answer = await client.post(
        f"{API}/auth/register", json={"phone_number": new_phone(), "username": new_username()}
    )

    assert answer.status_code == 202
    assert thread_pool_calls == []


def plain_def_handler() -> dict[str, bool]:
    return {"sync": True}


async def test_the_spy_sees_a_plain_def_handler(
    app: FastAPI, client: httpx.AsyncClient, thread_pool_calls: list[str]
) -> None:
    app.add_api_route("/test-only/sync", plain_def_handler)

    answer = await client.get("/test-only/sync")

    assert answer.status_code == 200
    assert thread_pool_calls  # the handler (and its response validation) hopped
