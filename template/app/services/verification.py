"""One-time codes: generated from `secrets`, stored only as an HMAC, checked in constant time.

The rules every verification follows, whatever it verifies (a phone, an e-mail address) and
whoever generates the code (this service, or Twilio Verify): a limited number of sends per
target and per target and client network, with a cooldown between two, an expiry, a limited
number of attempts after which the code is burnt, and single use.

Each code request gets its own verification and an opaque challenge naming it: a code is
checked only against the verification its challenge names, so guesses by someone who did not
ask for a code cannot burn it, and a new request leaves earlier codes valid.
"""

import base64
import binascii
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Awaitable, Callable, Collection
from datetime import timedelta

import structlog

from app.core.business_metrics import NO_BUSINESS_METRICS, BusinessMetrics, VerificationFailure
from app.core.config import Settings
from app.core.errors import InvalidVerificationCodeError
from app.core.rate_limit import RateLimiter
from app.crud.uow import UnitOfWork
from app.db.types import utcnow
from app.models import VerificationChannel, VerificationPurpose, VerificationRecord

CODE_DIGITS = 6
# The challenge: the verification's id and a truncated HMAC of it (128 bits: unforgeable).
_CHALLENGE_MAC_BYTES = 16
CHALLENGE_LENGTH = 43  # base64url of 16 + 16 bytes, unpadded

# Asks the provider that generated a code whether `code` is it (Twilio Verify).
RemoteCheck = Callable[[str], Awaitable[bool]]

logger = structlog.get_logger(__name__)


def generate_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def _derived_key(settings: Settings, purpose: bytes) -> bytes:
    # Derived, not SECRET_KEY itself, so a leaked derived key exposes none of its other uses.
    return hmac.new(
        settings.secret_key.get_secret_value().encode(), purpose, hashlib.sha256
    ).digest()


def code_hash_key(settings: Settings) -> bytes:
    return _derived_key(settings, b"verification-code")


class Challenges:
    """Opaque names for verifications, which only this service can make (HMAC-signed ids)."""

    def __init__(self, settings: Settings) -> None:
        self._key = _derived_key(settings, b"verification-challenge")

    def _mac(self, raw_id: bytes) -> bytes:
        return hmac.new(self._key, raw_id, hashlib.sha256).digest()[:_CHALLENGE_MAC_BYTES]

    def issue(self, verification_id: uuid.UUID) -> str:
        raw_id = verification_id.bytes
        return base64.urlsafe_b64encode(raw_id + self._mac(raw_id)).rstrip(b"=").decode()

    def verification_id(self, challenge: str) -> uuid.UUID | None:
        """The id the challenge names; None when this service did not issue it."""
        try:
            raw = base64.urlsafe_b64decode(challenge + "=" * (-len(challenge) % 4))
        except (binascii.Error, ValueError):
            return None
        raw_id, mac = raw[:16], raw[16:]
        if len(raw_id) != 16 or not hmac.compare_digest(mac, self._mac(raw_id)):
            return None
        return uuid.UUID(bytes=raw_id)


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
        self.challenges = Challenges(settings)

    @property
    def code_ttl_seconds(self) -> int:
        return self._settings.verification_code_ttl_seconds

    async def count_send(
        self, channel: VerificationChannel, target: str, *, network: str | None = None
    ) -> None:
        """Count one code sent to `target` for a client on `network` (None: the target is the
        caller's own, as an account's e-mail is), or raise RateLimitedError (429).

        The cooldown and the client's share come first, so a client inside them never uses up
        the target's budget: a stranger can spend their own share and at most delay the owner
        until the target's window moves on.
        """
        settings = self._settings
        caller: tuple[str, ...] = (
            (channel, target) if network is None else (channel, target, network)
        )
        if cooldown := settings.verification_resend_cooldown_seconds:
            await self._rate_limiter.hit(f"1/{cooldown} second", "code-cooldown", *caller)
        if network is not None:
            await self._rate_limiter.hit(
                settings.verification_sends_per_client, "code-sends-client", *caller
            )
        await self._rate_limiter.hit(
            settings.verification_sends_per_number, "code-sends", channel, target
        )

    async def count_remote_check(self, target: str) -> None:
        """Ration the checks a provider counts per number (Twilio Verify burns its code after
        five wrong ones, whoever sent them): fewer than that per code's life, or 429."""
        await self._rate_limiter.hit(
            self._settings.verification_checks_per_number, "code-checks", target
        )

    async def named(
        self, challenge: str, target: str, purposes: Collection[VerificationPurpose]
    ) -> VerificationRecord | None:
        """The verification of `target` for one of `purposes` that the challenge names."""
        verification_id = self.challenges.verification_id(challenge)
        if verification_id is None:
            return None
        verification = await self._uow.verifications.get(verification_id)
        if verification is None or verification.target != target:
            return None
        return verification if verification.purpose in purposes else None

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
        if remote_check is not None:
            await self.count_remote_check(verification.target)
        matches = (
            await remote_check(code)
            if remote_check is not None
            else hmac.compare_digest(
                verification.code_hash, hash_code(self._key, verification, code)
            )
        )
        if not matches:
            raise self._failure(VerificationFailure.WRONG_CODE)
        if not await self._uow.verifications.mark_consumed(verification, now):
            raise self._failure(VerificationFailure.USED)
        return verification

    def _failure(self, reason: VerificationFailure) -> InvalidVerificationCodeError:
        """Counted by reason; the caller learns only that the code is not valid."""
        self._metrics.verification_failed(reason)
        return InvalidVerificationCodeError()

    async def _claim_attempt(self, verification: VerificationRecord) -> bool:
        if verification.consumed_at is not None:
            return False
        claimed = await self._uow.verifications.claim_attempt(verification)
        await self._uow.commit_now("the attempt counts though the code turns out wrong")
        return claimed
