"""Writes e-mails to the log instead of sending them: development and tests."""

import structlog

from app.integrations.email.base import EmailMessage, mask_email

logger = structlog.get_logger(__name__)


class ConsoleEmailSender:
    """Production settings refuse it: the log line holds the whole message, code included."""

    name = "console"

    async def send(self, message: EmailMessage) -> None:
        logger.warning(
            "email_console",
            to=mask_email(message.to),
            subject=message.subject,
            body=message.body,
        )
