"""Builds the e-mail sender that EMAIL_SENDER names."""

from app.core.config import Settings
from app.integrations.breaker import CircuitBreaker
from app.integrations.email.base import EmailSender
from app.integrations.email.console import ConsoleEmailSender
from app.integrations.email.smtp import SERVICE, SmtpEmailSender


def create_email_sender(settings: Settings) -> EmailSender:
    if settings.email_sender == "console":
        return ConsoleEmailSender()
    breaker = CircuitBreaker(
        SERVICE,
        failure_threshold=settings.circuit_breaker_failure_threshold,
        reset_seconds=settings.circuit_breaker_reset_seconds,
    )
    return SmtpEmailSender(settings, breaker)
