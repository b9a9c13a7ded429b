"""Development and tests: the message, code included, goes to the log instead of a phone."""

import structlog

from app.core.enums import VerificationPurpose
from app.integrations.phone.base import Delivery
from app.integrations.phone.messages import render_message
from app.utils.phone import mask_phone

logger = structlog.get_logger(__name__)

CONSOLE_EVENT = "sms_console"


class ConsoleSender:
    """Writes each message as an `sms_console` log event; production settings refuse it."""

    name = "console"

    def __init__(self, *, service: str, ttl_seconds: int) -> None:
        self._service = service
        self._ttl_seconds = ttl_seconds

    async def send(
        self,
        to: str,
        purpose: VerificationPurpose,
        *,
        code: str,
        locale: str | None,
        account_exists: bool,
    ) -> Delivery:
        body = render_message(
            purpose,
            code=code,
            locale=locale,
            account_exists=account_exists,
            service=self._service,
            ttl_seconds=self._ttl_seconds,
        )
        # The code in a log line is the point of this backend: a developer (or an end-to-end
        # test driving the running service) reads it here.
        logger.info(
            CONSOLE_EVENT, phone=mask_phone(to), purpose=purpose.value, code=code, body=body
        )
        return Delivery(provider_ref=None, status="logged")
