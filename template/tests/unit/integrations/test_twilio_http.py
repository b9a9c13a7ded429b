"""The Twilio SDK's real request code, answered at the HTTP boundary by httpx.MockTransport."""

import base64
import json
from collections.abc import Callable
from urllib.parse import parse_qs

import httpx
import pytest
from pydantic import SecretStr
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from app.core.config.twilio import TwilioSettings
from app.core.errors import ExternalServiceError
from app.integrations.twilio_http import create_twilio_client

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token"
MESSAGES_URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"

Handler = Callable[[httpx.Request], httpx.Response]


def twilio_client(handler: Handler) -> Client:
    settings = TwilioSettings(
        _env_file=None, twilio_account_sid=ACCOUNT_SID, twilio_auth_token=SecretStr(AUTH_TOKEN)
    )
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), timeout=5)
    return create_twilio_client(settings, http)


def message_json(**fields: object) -> dict[str, object]:
    return {
        "sid": "SM" + "1" * 32,
        "account_sid": ACCOUNT_SID,
        "to": "+14155550100",
        "from": "+14155550199",
        "body": "Your code is 123456",
        "status": "queued",
        "num_segments": "1",
        "direction": "outbound-api",
        "date_created": "Mon, 06 Jan 2025 12:00:00 +0000",
        **fields,
    }


async def test_a_message_is_posted_as_a_form_with_basic_auth() -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(201, json=message_json())

    message = await twilio_client(handler).messages.create_async(
        to="+14155550100", from_="+14155550199", body="Your code is 123456"
    )

    (request,) = requests
    assert request.method == "POST"
    assert str(request.url) == MESSAGES_URL
    assert parse_qs(request.content.decode()) == {
        "To": ["+14155550100"],
        "From": ["+14155550199"],
        "Body": ["Your code is 123456"],
    }
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    credentials = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {credentials}"
    assert message.sid == "SM" + "1" * 32
    assert str(message.status) == "queued"
    assert message.to == "+14155550100"


async def test_list_parameters_repeat_in_the_query_string() -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json={"messages": [message_json()], "next_page_uri": None})

    messages = await twilio_client(handler).messages.list_async(to="+14155550100", limit=1)

    (request,) = requests
    assert request.method == "GET"
    assert request.url.params.get_list("To") == ["+14155550100"]
    assert request.url.params.get_list("PageSize") == ["1"]
    assert [message.sid for message in messages] == ["SM" + "1" * 32]


async def test_a_twilio_error_response_raises_the_sdk_exception() -> None:
    error = {
        "code": 21211,
        "message": "The 'To' number +1555 is not a valid phone number.",
        "more_info": "https://www.twilio.com/docs/errors/21211",
        "status": 400,
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, content=json.dumps(error))

    with pytest.raises(TwilioRestException) as raised:
        await twilio_client(handler).messages.create_async(
            to="+1555", from_="+14155550199", body="hi"
        )

    assert raised.value.status == 400
    assert raised.value.code == 21211


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("timed out"),
        httpx.ConnectTimeout("timed out"),
        httpx.ConnectError("refused"),
    ],
    ids=["read-timeout", "connect-timeout", "connect-error"],
)
async def test_timeouts_and_transport_errors_become_external_service_errors(
    failure: httpx.TransportError,
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise failure

    with pytest.raises(ExternalServiceError) as raised:
        await twilio_client(handler).messages.create_async(
            to="+14155550100", from_="+14155550199", body="hi"
        )

    assert raised.value.service == "twilio"
    assert raised.value.__cause__ is failure
