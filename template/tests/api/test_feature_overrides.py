"""Flags that change without a redeploy: administrators override them over HTTP, callers
see the override (their own state under a rollout or allow-list), other instances within
the cache TTL, and an unreachable store falls back to the configured defaults."""

import logging
import uuid
from collections.abc import Mapping
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from app.core.config import Settings
from app.core.flag_cache import FlagOverrideCache
from app.core.flags import Flag, FlagOverride
from app.crud.uow import UnitOfWork
from app.db.session import SessionFactory
from app.models import User
from tests.api.test_ready import client_for
from tests.database import PRIMARY_BACKEND, unreachable_database_url

OVERRIDE = "/api/v1/admin/features/registration"
FEATURE = "/api/v1/features/registration"


async def test_an_override_turns_a_flag_off_and_its_removal_restores_the_default(
    client: httpx.AsyncClient, admin_auth: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    put = await client.put(OVERRIDE, json={"enabled": False}, headers=admin_auth)
    while_off = await client.get(FEATURE)
    register = await client.post(
        "/api/v1/auth/register", json={"phone_number": "+14155550123", "username": "toolate"}
    )
    deleted = await client.delete(OVERRIDE, headers=admin_auth)
    deleted_again = await client.delete(OVERRIDE, headers=admin_auth)
    after = await client.get(FEATURE)

    assert put.status_code == 200, put.text
    assert put.json() == {
        "name": "registration",
        "enabled": False,
        "rollout_percent": None,
        "allowed_user_ids": [],
    }
    assert while_off.json()["enabled"] is False
    assert register.status_code == 404  # registration closed, at run time
    assert (deleted.status_code, deleted_again.status_code) == (204, 204)
    assert after.json()["enabled"] is True
    audit = [r.msg for r in caplog.records if "feature_flag.override" in str(r.msg)]
    assert len(audit) == 2, audit  # set and removed; removing nothing writes nothing


async def test_signed_in_callers_get_their_own_state(
    client: httpx.AsyncClient,
    admin_auth: dict[str, str],
    member: User,
    member_auth: dict[str, str],
) -> None:
    body = {"enabled": False, "allowed_user_ids": [str(member.id)]}
    await client.put(OVERRIDE, json=body, headers=admin_auth)

    anonymous = await client.get("/api/v1/features")
    chosen = await client.get("/api/v1/features", headers=member_auth)
    other = await client.get(FEATURE, headers=admin_auth)

    assert anonymous.json()[0]["enabled"] is False
    assert chosen.json()[0]["enabled"] is True
    assert other.json()["enabled"] is False


async def test_a_full_rollout_turns_it_on_for_signed_in_callers_only(
    client: httpx.AsyncClient, admin_auth: dict[str, str], member_auth: dict[str, str]
) -> None:
    await client.put(OVERRIDE, json={"enabled": False, "rollout_percent": 100}, headers=admin_auth)

    assert (await client.get(FEATURE, headers=member_auth)).json()["enabled"] is True
    assert (await client.get(FEATURE)).json()["enabled"] is False


async def test_only_administrators_change_flags(
    client: httpx.AsyncClient, member_auth: dict[str, str]
) -> None:
    anonymous = await client.put(OVERRIDE, json={"enabled": False})
    member = await client.put(OVERRIDE, json={"enabled": False}, headers=member_auth)
    delete = await client.delete(OVERRIDE, headers=member_auth)

    assert (anonymous.status_code, member.status_code, delete.status_code) == (401, 403, 403)
    assert (await client.get(FEATURE)).json()["enabled"] is True


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/v1/admin/features/teleportation", {"enabled": True}, 404),
        (OVERRIDE, {"enabled": True, "rollout_percent": 101}, 422),
        (OVERRIDE, {"enabled": True, "allowed_user_ids": ["not-a-uuid"]}, 422),
        (OVERRIDE, {"enabled": "sometimes"}, 422),
        (OVERRIDE, {"rollout_percent": 5}, 422),
    ],
)
async def test_bad_changes_are_problems_and_change_nothing(
    client: httpx.AsyncClient,
    admin_auth: dict[str, str],
    path: str,
    body: dict[str, object],
    status: int,
) -> None:
    response = await client.put(path, json=body, headers=admin_auth)

    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get(FEATURE)).json()["enabled"] is True


async def test_another_instance_applies_an_override_within_its_ttl(
    client: httpx.AsyncClient, admin_auth: dict[str, str], session_factory: SessionFactory
) -> None:
    now = [0.0]
    other_instance = FlagOverrideCache(ttl_seconds=10, clock=lambda: now[0])

    async def load() -> Mapping[Flag, FlagOverride]:
        async with UnitOfWork(session_factory) as uow:
            return await uow.feature_flags.overrides()

    assert await other_instance.get(load) == {}
    chosen = uuid.uuid4()
    body = {"enabled": False, "rollout_percent": 5, "allowed_user_ids": [str(chosen)]}
    await client.put(OVERRIDE, json=body, headers=admin_auth)
    now[0] = 9.9
    still_cached = await other_instance.get(load)
    now[0] = 10.0
    refreshed = await other_instance.get(load)

    assert still_cached == {}
    assert refreshed == {
        Flag.REGISTRATION: FlagOverride(
            enabled=False, rollout_percent=5, allowed_user_ids=frozenset({chosen})
        )
    }


async def test_without_the_store_flags_fall_back_to_the_configured_defaults(
    settings: Settings, tmp_path: Path
) -> None:
    url = SecretStr(unreachable_database_url(PRIMARY_BACKEND, tmp_path))
    configured = {"database_url": url, "feature_flags": {"registration": False}}
    async with client_for(settings.model_copy(update=configured)) as client:
        response = await client.get("/api/v1/features")

    assert response.status_code == 200
    assert response.json()[0] | {"description": ""} == {
        "name": "registration",
        "enabled": False,
        "description": "",
    }
