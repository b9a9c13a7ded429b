"""Without its database the service answers 503 with Retry-After, in every backend."""

from pathlib import Path

from pydantic import SecretStr

from app.core.config import Settings
from tests.api.test_ready import client_for
from tests.database import PRIMARY_BACKEND, unreachable_database_url
from tests.phone_auth import new_phone, new_username


async def test_requests_needing_the_database_answer_503(settings: Settings, tmp_path: Path) -> None:
    url = SecretStr(unreachable_database_url(PRIMARY_BACKEND, tmp_path))
    async with client_for(settings.model_copy(update={"database_url": url})) as client:
        register = await client.post(
            "/api/v1/auth/register", json={"phone_number": new_phone(), "username": new_username()}
        )
        login = await client.post("/api/v1/auth/login", json={"phone_number": new_phone()})
        live = await client.get("/live")

    for response in (register, login):
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert int(response.headers["Retry-After"]) > 0
        assert response.json()["service"] == "database"
    assert live.status_code == 200
