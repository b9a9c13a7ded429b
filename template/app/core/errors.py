"""Domain exceptions. Services raise these; `app.core.problems` maps them to HTTP once."""

from typing import Any, ClassVar


class AppError(Exception):
    """Base of every expected failure; carries what the problem+json response needs."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal server error"

    def __init__(self, detail: str | None = None, **extensions: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extensions = extensions
        self.headers: dict[str, str] = {}


class NotFoundError(AppError):
    status = 404
    code = "not-found"
    title = "Resource not found"


class ConflictError(AppError):
    status = 409
    code = "conflict"
    title = "Conflict with the current state"


class ValueTakenError(ConflictError):
    """A unique value that another live account holds; `field` names it."""

    DETAILS: ClassVar[dict[str, str]] = {
        "username": "This username is taken",
        "email": "This e-mail address is already registered",
        "phone_number": "This phone number is already registered",
    }

    def __init__(self, field: str) -> None:
        super().__init__(self.DETAILS.get(field, f"This {field} is already taken"), field=field)


class ValidationFailedError(AppError):
    status = 422
    code = "validation-failed"
    title = "The request is not valid"


class DestinationNotSupportedError(ValidationFailedError):
    """A number outside the SMS destination policy: the same answer whoever holds it."""

    code = "destination-not-supported"
    title = "Text messages cannot be sent to this destination"

    def __init__(self) -> None:
        super().__init__(
            "This service does not send text messages to this number's country or number type",
            field="phone_number",
        )


class DestinationRefusedError(AppError):
    """The SMS provider refuses this destination (blocked, unreachable, fraud or geo rules):
    asking again changes nothing, so it is never retried."""

    status = 422
    code = "destination-refused"
    title = "The text message provider refuses this destination"


class AuthenticationError(AppError):
    status = 401
    code = "not-authenticated"
    title = "Authentication required"

    def __init__(self, detail: str | None = None, **extensions: Any) -> None:
        super().__init__(detail, **extensions)
        self.headers["WWW-Authenticate"] = "Bearer"


class InvalidTokenError(AuthenticationError):
    code = "invalid-token"
    title = "The token is not valid"


class InvalidRefreshTokenError(AuthenticationError):
    code = "invalid-refresh-token"
    title = "The refresh token is not valid"


class InvalidVerificationCodeError(AppError):
    """Wrong, expired, burnt or used: one answer for all, so a guesser learns nothing."""

    status = 400
    code = "invalid-verification-code"
    title = "The verification code is not valid"


class PermissionDeniedError(AppError):
    status = 403
    code = "permission-denied"
    title = "Permission denied"


class RateLimitedError(AppError):
    status = 429
    code = "rate-limited"
    title = "Too many requests"

    def __init__(self, retry_after_seconds: int, detail: str | None = None) -> None:
        super().__init__(detail, retry_after=retry_after_seconds)
        self.headers["Retry-After"] = str(retry_after_seconds)


class ExternalServiceError(AppError):
    status = 503
    code = "service-unavailable"
    title = "A service this request depends on is unavailable"

    def __init__(
        self, service: str, detail: str | None = None, *, retry_after_seconds: int | None = None
    ) -> None:
        super().__init__(detail, service=service)
        self.service = service
        # None: the problem handler fills in the RETRY_AFTER_SECONDS setting.
        if retry_after_seconds is not None:
            self.headers["Retry-After"] = str(max(1, retry_after_seconds))


class SmsBudgetExhaustedError(ExternalServiceError):
    """The service's hourly budget of texts is spent: no code request is served until the
    window moves on."""

    code = "sms-budget-exhausted"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(
            "sms",
            "The service is not sending text messages for now; retry later",
            retry_after_seconds=retry_after_seconds,
        )


class DatabaseUnavailableError(ExternalServiceError):
    """The database refused or did not answer a new connection in time."""

    def __init__(self) -> None:
        super().__init__("database", "The database is unavailable; retry later")
