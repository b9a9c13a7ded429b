"""A stand-in for Twilio's REST API at the HTTP boundary: the real SDK builds every request,
tests read what it sent and choose what Twilio answers.
"""

import json
from urllib.parse import parse_qs

import httpx
from pydantic import SecretStr
from twilio.request_validator import RequestValidator

from app.core.config import Settings

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-twilio-auth-token"
FROM_NUMBER = "+14155550199"
MESSAGING_SERVICE_SID = "MG" + "2" * 32
VERIFY_SERVICE_SID = "VA" + "3" * 32
MESSAGE_SID = "SM" + "1" * 32
VERIFICATION_SID = "VE" + "4" * 32

MESSAGES_URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
VERIFY_URL = f"https://verify.twilio.com/v2/Services/{VERIFY_SERVICE_SID}"

# The answer-specific settings; only those this project's answer has are applied.
SENDER_SETTINGS = {
    "twilio_from_number": FROM_NUMBER,
    "twilio_verify_service_sid": VERIFY_SERVICE_SID,
}

Answer = httpx.Response | httpx.TransportError


class TwilioApi:
    """Answers Twilio requests in order from `answers`; an unexpected request fails the test."""

    def __init__(self, *answers: Answer) -> None:
        self.requests: list[httpx.Request] = []
        self.answers: list[Answer] = list(answers)

    def answer(self, *answers: Answer) -> None:
        self.answers.extend(answers)

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self.answers:
            raise AssertionError(f"unexpected Twilio request {request.method} {request.url}")
        answer = self.answers.pop(0)
        if isinstance(answer, httpx.TransportError):
            raise answer
        return answer

    def http_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self.handler), timeout=5)

    def form(self, index: int = -1) -> dict[str, list[str]]:
        """The url-encoded body of a request the SDK sent."""
        return parse_qs(self.requests[index].content.decode())


def twilio_settings(settings: Settings, **overrides: object) -> Settings:
    """`settings` with PHONE_VERIFIER=twilio and a complete (fake) Twilio account."""
    update: dict[str, object] = {
        "phone_verifier": "twilio",
        "twilio_account_sid": ACCOUNT_SID,
        "twilio_auth_token": SecretStr(AUTH_TOKEN),
        **{name: value for name, value in SENDER_SETTINGS.items() if name in Settings.model_fields},
        **overrides,
    }
    return settings.model_copy(update=update)


def sign(url: str, params: dict[str, str], *, token: str = AUTH_TOKEN) -> str:
    """The X-Twilio-Signature Twilio would send with a callback to `url`."""
    validator = RequestValidator(token)  # type: ignore[no-untyped-call]
    signature: str = validator.compute_signature(url, params)  # type: ignore[no-untyped-call]
    return signature


def message_created(**fields: object) -> httpx.Response:
    return httpx.Response(
        201,
        json={
            "sid": MESSAGE_SID,
            "account_sid": ACCOUNT_SID,
            "status": "queued",
            "direction": "outbound-api",
            "num_segments": "1",
            **fields,
        },
    )


def verification(status: str = "pending", **fields: object) -> httpx.Response:
    return httpx.Response(
        201,
        json={
            "sid": VERIFICATION_SID,
            "service_sid": VERIFY_SERVICE_SID,
            "account_sid": ACCOUNT_SID,
            "channel": "sms",
            "status": status,
            "valid": status == "approved",
            **fields,
        },
    )


def twilio_error(status: int, code: int, message: str = "Twilio says no") -> httpx.Response:
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return httpx.Response(status, content=json.dumps(body))
