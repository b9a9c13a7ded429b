"""The Twilio SDK over the app's shared httpx client (imported at first use: `twilio_client`).

The SDK's own async client is aiohttp and its sync client blocks the event loop; this one reuses
the lifespan's connection pool and timeout, and lets tests answer at the HTTP boundary.
"""

import time

import httpx
import structlog
from twilio.http import AsyncHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from app.core.config.twilio import TwilioSettings
from app.core.errors import ExternalServiceError
from app.integrations.twilio_client import SERVICE

logger = structlog.get_logger(__name__)


class HttpxTwilioClient(AsyncHttpClient):
    def __init__(self, http: httpx.AsyncClient) -> None:
        super().__init__(logger=logger, is_async=True)
        self._http = http

    # The SDK's own async base overrides its sync `request` the same way.
    async def request(  # type: ignore[override]
        self,
        method: str,
        uri: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the SDK's interface
        allow_redirects: bool = False,
    ) -> Response:
        started = time.perf_counter()
        try:
            response = await self._http.request(
                method.upper(),
                uri,
                params=_query(params),
                data=data,
                headers=headers,
                auth=auth,
                # None keeps the shared client's timeout (EXTERNAL_TIMEOUT_SECONDS).
                timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else timeout,
                follow_redirects=allow_redirects,
            )
        except httpx.TimeoutException as exc:
            raise ExternalServiceError(SERVICE, "Twilio did not answer in time") from exc
        except httpx.TransportError as exc:
            raise ExternalServiceError(SERVICE, "Twilio could not be reached") from exc
        logger.debug(
            "twilio_request",
            method=method.upper(),
            url=str(response.request.url.copy_with(query=None)),
            status=response.status_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
        )
        return Response(response.status_code, response.text, response.headers)


def _query(params: dict[str, object] | None) -> dict[str, list[str]]:
    """Twilio's list-valued parameters repeat the name, one value each."""
    return {
        name: [str(item) for item in (value if isinstance(value, list) else [value])]
        for name, value in (params or {}).items()
    }


def create_twilio_client(settings: TwilioSettings, http: httpx.AsyncClient) -> Client:
    """A Twilio REST client whose `*_async` calls go through `http`."""
    account_sid = settings.twilio_account_sid
    auth_token = settings.twilio_auth_token.get_secret_value()
    return Client(  # type: ignore[no-untyped-call]  # its __init__ has no annotations
        username=account_sid,
        password=auth_token,
        http_client=HttpxTwilioClient(http),
        # Given explicitly, or the SDK falls back to reading os.environ itself.
        environment={"TWILIO_ACCOUNT_SID": account_sid, "TWILIO_AUTH_TOKEN": auth_token},
    )
