"""Twilio's error answers, as the service's own errors (problem+json, circuit breaker)."""

from twilio.base.exceptions import TwilioRestException

from app.core.errors import (
    AppError,
    DestinationRefusedError,
    ExternalServiceError,
    ValidationFailedError,
)
from app.integrations.breaker import is_client_error
from app.integrations.twilio_client import SERVICE

# The number itself is wrong: the client can fix it, and it says nothing about Twilio's health.
# 21211 invalid 'To' number, 21614 not a mobile number, 60200 invalid parameter (Verify's
# answer to a malformed number).
INVALID_NUMBER_CODES = frozenset({21211, 21614, 60200})
# Twilio refuses the destination, and would again: never retried, counted by code
# (sms_provider_refusals_total). 21408 region not enabled (Messaging geo permissions),
# 21610 the owner replied STOP, 21612 number unreachable, 60410 Verify Fraud Guard blocked
# the prefix, 60605 region not enabled (Verify geo permissions).
REFUSAL_CODES = frozenset({21408, 21610, 21612, 60410, 60605})
# 20429 and HTTP 429: Twilio's own rate limits; 60203 Verify's "max send attempts reached".
RATE_LIMIT_CODES = frozenset({20429, 60203})


def twilio_error(exc: TwilioRestException) -> AppError:
    """The domain error for a Twilio error answer; raise it `from exc`."""
    code = exc.code if isinstance(exc.code, int) else None
    if code in INVALID_NUMBER_CODES:
        return ValidationFailedError("Twilio refused this phone number", field="phone_number")
    if code in REFUSAL_CODES:
        return DestinationRefusedError(f"Twilio refuses to text this number ({code})")
    if code in RATE_LIMIT_CODES or exc.status == 429:
        return ExternalServiceError(SERVICE, "Twilio is limiting our requests; try again later")
    return ExternalServiceError(SERVICE, f"Twilio answered with an error ({code or exc.status})")


def twilio_answered(exc: BaseException) -> bool:
    """Twilio is up when it answers about this one request (a 4xx other than 429).

    An unreachable number is such an answer: many of them must not open the circuit for
    everyone.
    """
    cause = exc.__cause__
    if isinstance(cause, TwilioRestException):
        return cause.status < 500 and cause.status != 429
    return is_client_error(exc)


def provider_error_code(exc: AppError) -> str | None:
    """Twilio's error code behind `exc` (recorded on the verification), if Twilio gave one."""
    cause = exc.__cause__
    if isinstance(cause, TwilioRestException) and cause.code is not None:
        return str(cause.code)
    return None
