"""Development and tests: the message, code included, goes to the log instead of a phone."""

import structlog

from app.integrations.phone.base import Delivery, TextMessage
from app.utils.phone import mask_phone

logger = structlog.get_logger(__name__)

CONSOLE_EVENT = "sms_console"


class ConsoleSender:
    """Writes each message as an `sms_console` log event; production settings refuse it."""

    name = "console"

    async def send(self, text: TextMessage) -> Delivery:
        # The code in a log line is the point of this backend: a developer (or an end-to-end
        # test driving the running service) reads it here.
        logger.info(
            CONSOLE_EVENT,
            phone=mask_phone(text.to),
            purpose=text.purpose.value,
            code=text.code,
            body=text.body,
        )
        return Delivery(provider_ref=None, status="logged")
