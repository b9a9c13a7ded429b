"""One-time codes: generated from `secrets`, stored only as an HMAC, checked in constant time.

The rules every verification follows, whatever it verifies (a phone, an e-mail address) and
whoever generates the code (this service, or Twilio Verify): a limited number of sends per
target and hour with a cooldown between two, an expiry, a limited number of attempts after
which the code is burnt, and single use.
"""

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta

import structlog

from app.core.business_metrics import NO_BUSINESS_METRICS, BusinessMetrics, VerificationFailure
from app.core.config import Settings
from app.core.errors import InvalidVerificationCodeError
from app.core.rate_limit import RateLimiter
from app.db.types import utcnow
from app.db.uow import UnitOfWork
from app.models import VerificationChannel, VerificationPurpose, VerificationRecord

CODE_DIGITS = 6

# Asks the provider that generated a code whether `code` is it (Twilio Verify).
RemoteCheck = Callable[[str], Awaitable[bool]]

logger = structlog.get_logger(__name__)


def generate_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hash_key(settings: Settings) -> bytes:
    # Derived, not SECRET_KEY itself, so a leaked hash key exposes none of its other uses.
    return hmac.new(
        settings.secret_key.get_secret_value().encode(), b"verification-code", hashlib.sha256
    ).digest()


def hash_code(key: bytes, verification: VerificationRecord, code: str) -> str:
    """Bound to the target and purpose: a hash copied to another record matches nothing."""
    message = f"{verification.purpose.value}:{verification.target}:{code}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class VerificationService:
    def __init__(
        self,
        uow: UnitOfWork,
        settings: Settings,
        rate_limiter: RateLimiter,
        *,
        metrics: BusinessMetrics = NO_BUSINESS_METRICS,
    ) -> None:
        self._uow = uow
        self._settings = settings
        self._rate_limiter = rate_limiter
        self._metrics = metrics
        self._key = code_hash_key(settings)

    @property
    def code_ttl_seconds(self) -> int:
        return self._settings.verification_code_ttl_seconds

    async def count_send(self, channel: VerificationChannel, target: str) -> None:
        """Count one code sent to `target`, or raise RateLimitedError (429) if it may not be.

        The cooldown is checked first, so requests inside it never use up the hourly budget.
        """
        cooldown = self._settings.verification_resend_cooldown_seconds
        if cooldown:
            await self._rate_limiter.hit(f"1/{cooldown} second", "code-cooldown", channel, target)
        per_hour = self._settings.verification_sends_per_hour
        await self._rate_limiter.hit(f"{per_hour}/hour", "code-sends", channel, target)

    def new_verification(
        self, purpose: VerificationPurpose, channel: VerificationChannel, target: str
    ) -> VerificationRecord:
        """A verification of `target`, not yet added to the unit of work and without a code."""
        now = utcnow()
        return VerificationRecord(
            purpose=purpose,
            channel=channel,
            target=target,
            attempts=0,
            max_attempts=self._settings.verification_max_attempts,
            expires_at=now + timedelta(seconds=self.code_ttl_seconds),
            send_count=1,
            last_sent_at=now,
        )

    def issue_code(self, verification: VerificationRecord) -> str:
        """A fresh code for `verification` (replacing any earlier one); only its hash is kept."""
        code = generate_code()
        verification.code_hash = hash_code(self._key, verification, code)
        return code

    def renew(self, verification: VerificationRecord) -> None:
        """Resending: the code's validity starts again; its attempts do not."""
        now = utcnow()
        verification.expires_at = now + timedelta(seconds=self.code_ttl_seconds)
        verification.send_count += 1
        verification.last_sent_at = now

    async def consume(
        self,
        verification: VerificationRecord | None,
        code: str,
        *,
        remote_check: RemoteCheck | None = None,
    ) -> VerificationRecord:
        """Use up `verification` if `code` is its code; else InvalidVerificationCodeError.

        Each attempt is counted and committed before the code is compared, so neither a
        failure nor parallel guesses can get past the attempt limit.
        """
        if verification is None:
            raise self._failure(VerificationFailure.NO_CODE)
        if not await self._claim_attempt(verification):
            used = verification.consumed_at is not None
            raise self._failure(
                VerificationFailure.USED if used else VerificationFailure.TOO_MANY_ATTEMPTS
            )
        now = utcnow()
        if verification.expires_at <= now:
            raise self._failure(VerificationFailure.EXPIRED)
        matches = (
            await remote_check(code)
            if remote_check is not None
            else hmac.compare_digest(
                verification.code_hash, hash_code(self._key, verification, code)
            )
        )
        if not matches:
            raise self._failure(VerificationFailure.WRONG_CODE)
        if not await self._uow.verifications.mark_consumed(verification.id, now):
            raise self._failure(VerificationFailure.USED)
        verification.verified_at = verification.consumed_at = now
        return verification

    def _failure(self, reason: VerificationFailure) -> InvalidVerificationCodeError:
        """Counted by reason; the caller learns only that the code is not valid."""
        self._metrics.verification_failed(reason)
        return InvalidVerificationCodeError()

    async def _claim_attempt(self, verification: VerificationRecord) -> bool:
        if verification.consumed_at is not None:
            return False
        claimed = await self._uow.verifications.claim_attempt(verification.id)
        await self._uow.commit_now("the attempt counts though the code turns out wrong")
        return claimed
