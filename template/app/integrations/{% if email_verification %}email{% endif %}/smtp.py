"""Sends e-mails through an SMTP server, with a timeout and behind a circuit breaker."""

import email.message

import aiosmtplib
import structlog

from app.core.config.email import EmailSettings
from app.core.errors import ExternalServiceError, ValidationFailedError
from app.integrations.breaker import CircuitBreaker
from app.integrations.email.base import EmailMessage, mask_email

SERVICE = "smtp"

logger = structlog.get_logger(__name__)


class SmtpEmailSender:
    name = SERVICE

    def __init__(self, settings: EmailSettings, breaker: CircuitBreaker) -> None:
        self._settings = settings
        self._breaker = breaker

    async def send(self, message: EmailMessage) -> None:
        async with self._breaker.guard():
            try:
                await self._send(message)
            except (aiosmtplib.SMTPRecipientRefused, aiosmtplib.SMTPRecipientsRefused) as exc:
                # The server works; the address does not. Not an outage, so no breaker trip.
                raise ValidationFailedError(
                    "This e-mail address cannot receive mail", field="email"
                ) from exc
            except (aiosmtplib.SMTPException, OSError) as exc:
                logger.warning(
                    "email_send_failed", to=mask_email(message.to), error=type(exc).__name__
                )
                raise ExternalServiceError(SERVICE, "The e-mail could not be sent") from exc

    async def _send(self, message: EmailMessage) -> None:
        settings = self._settings
        mime = email.message.EmailMessage()
        mime["From"] = settings.email_from
        mime["To"] = message.to
        mime["Subject"] = message.subject
        mime.set_content(message.body)
        await aiosmtplib.send(
            mime,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username or None,
            password=settings.smtp_password.get_secret_value() or None,
            use_tls=settings.smtp_security == "tls",
            start_tls=settings.smtp_security == "starttls",
            timeout=settings.external_timeout_seconds,
        )
