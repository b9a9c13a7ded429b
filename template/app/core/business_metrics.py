"""What the services count about sign-ups, sign-ins and sessions, as one small port.

Services receive a `BusinessMetrics` and call it where an event happens; they never import a
metrics library. Every label is a member of a closed set (an enum here, a provider's or a
limit's name fixed in the code), never a user id, a phone number or a path. Without an
exporter (`METRICS_ENABLED=false`, or a project rendered without Prometheus) the no-op
below is what they get.
"""

from enum import StrEnum
from typing import Protocol

from starlette.applications import Starlette


class CodeOutcome(StrEnum):
    SENT = "sent"  # the provider accepted the message
    FAILED = "failed"  # the provider refused it, or stayed unreachable after the retries
    # Handed to the Celery worker, whose answer is in its logs and on the verification record:
    # the worker serves no /metrics.
    QUEUED = "queued"


class VerificationFailure(StrEnum):
    WRONG_CODE = "wrong_code"
    EXPIRED = "expired"
    TOO_MANY_ATTEMPTS = "too_many_attempts"  # the code is burnt
    USED = "used"  # the code was used already
    NO_CODE = "no_code"  # nothing was sent to this target, or nothing for this account


class SmsRefusal(StrEnum):
    """The send budget a code request ran into (app.services.sms_guard)."""

    CLIENT = "client"
    PREFIX = "prefix"
    COUNTRY = "country"
    GLOBAL = "global"


class SessionRevocation(StrEnum):
    LOGOUT = "logout"
    LOGOUT_ALL = "logout_all"
    REUSE_DETECTED = "reuse_detected"
    ADMIN_DEACTIVATION = "admin_deactivation"
    ACCOUNT_DELETED = "account_deleted"


class FlagChange(StrEnum):
    SET = "set"
    REMOVED = "removed"


class BusinessMetrics(Protocol):
    """One method per event; each call counts one occurrence."""

    def registration_started(self) -> None: ...

    def registration_completed(self) -> None: ...

    def verification_code_sent(self, channel: str, provider: str, outcome: CodeOutcome) -> None:
        """`channel` and `provider`: a `VerificationChannel` value and a sender's `name`."""
        ...

    def verification_failed(self, reason: VerificationFailure) -> None: ...

    def signed_in(self) -> None: ...

    def refresh_rotated(self) -> None: ...

    def refresh_reuse_detected(self) -> None: ...

    def session_revoked(self, reason: SessionRevocation) -> None: ...

    def rate_limited(self, limit: str) -> None:
        """`limit`: the first identifier of `RateLimiter.hit`, a constant in the code."""
        ...

    def feature_flag_changed(self, change: FlagChange) -> None: ...

    def sms_admitted(self, country: str) -> None:
        """A text passed the destination policy and every budget; `country`: ISO 3166."""
        ...

    def sms_destination_refused(self) -> None: ...

    def sms_budget_refused(self, cap: SmsRefusal, country: str) -> None: ...

    def sms_provider_refused(self, code: str) -> None:
        """`code`: one of the provider's refusal codes the service knows (a closed set)."""
        ...


class NoBusinessMetrics:
    """Counts nothing: for processes without an exporter."""

    def registration_started(self) -> None:
        return None

    def registration_completed(self) -> None:
        return None

    def verification_code_sent(self, channel: str, provider: str, outcome: CodeOutcome) -> None:
        return None

    def verification_failed(self, reason: VerificationFailure) -> None:
        return None

    def signed_in(self) -> None:
        return None

    def refresh_rotated(self) -> None:
        return None

    def refresh_reuse_detected(self) -> None:
        return None

    def session_revoked(self, reason: SessionRevocation) -> None:
        return None

    def rate_limited(self, limit: str) -> None:
        return None

    def feature_flag_changed(self, change: FlagChange) -> None:
        return None

    def sms_admitted(self, country: str) -> None:
        return None

    def sms_destination_refused(self) -> None:
        return None

    def sms_budget_refused(self, cap: SmsRefusal, country: str) -> None:
        return None

    def sms_provider_refused(self, code: str) -> None:
        return None


NO_BUSINESS_METRICS: BusinessMetrics = NoBusinessMetrics()


def store_business_metrics(app: Starlette, metrics: BusinessMetrics) -> None:
    app.state.business_metrics = metrics


def business_metrics_of(app: Starlette) -> BusinessMetrics:
    """What the app counts business events on: nowhere unless a feature (Prometheus) stored
    its own."""
    metrics: BusinessMetrics = getattr(app.state, "business_metrics", NO_BUSINESS_METRICS)
    return metrics
