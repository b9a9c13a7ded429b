import pytest
from twilio.base.exceptions import TwilioRestException

from app.core.errors import (
    AppError,
    DestinationRefusedError,
    ExternalServiceError,
    ValidationFailedError,
)
from app.integrations.phone.twilio_errors import twilio_answered, twilio_error


def rest_error(status: int, code: int | None) -> TwilioRestException:
    return TwilioRestException(status, "https://api.twilio.com/x", msg="no", code=code)


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (400, 21211, ValidationFailedError),
        (400, 21614, ValidationFailedError),
        (400, 60200, ValidationFailedError),
        (400, 21612, DestinationRefusedError),
        (400, 21408, DestinationRefusedError),
        (400, 21610, DestinationRefusedError),
        (400, 60410, DestinationRefusedError),
        (400, 60605, DestinationRefusedError),
        (429, 20429, ExternalServiceError),
        (429, 60203, ExternalServiceError),
        (429, None, ExternalServiceError),
        (401, 20003, ExternalServiceError),
        (500, 20500, ExternalServiceError),
    ],
)
def test_twilio_errors_become_domain_errors(
    status: int, code: int | None, expected: type[AppError]
) -> None:
    error = twilio_error(rest_error(status, code))

    assert type(error) is expected


def test_an_invalid_number_names_the_field() -> None:
    error = twilio_error(rest_error(400, 21211))

    assert error.status == 422
    assert error.extensions == {"field": "phone_number"}


def test_rate_limits_and_unreachable_numbers_say_what_happened() -> None:
    assert "limiting" in twilio_error(rest_error(429, 20429)).detail
    assert "refuses to text this number (21612)" in twilio_error(rest_error(400, 21612)).detail


def caused_by(cause: BaseException) -> ExternalServiceError:
    error = ExternalServiceError("twilio")
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "healthy"),
    [
        (caused_by(rest_error(400, 21612)), True),  # answered about one number
        (caused_by(rest_error(404, 20404)), True),
        (caused_by(rest_error(429, 20429)), False),  # overloaded
        (caused_by(rest_error(503, 20503)), False),
        (caused_by(TimeoutError()), False),
        (ExternalServiceError("twilio", "timed out"), False),
        (ValidationFailedError("bad number"), True),
    ],
)
def test_only_outages_count_against_the_circuit(error: AppError, healthy: bool) -> None:
    assert twilio_answered(error) is healthy
