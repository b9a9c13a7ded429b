"""What every phone verification backend offers: send a code for a purpose; check a code."""

from dataclasses import dataclass
from typing import Protocol

from app.core.enums import VerificationPurpose


@dataclass(frozen=True, slots=True)
class Delivery:
    """What the provider said about a message it accepted; stored on the verification record."""

    provider_ref: str | None
    status: str | None


class PhoneVerifier(Protocol):
    # Stored on each verification record (`VerificationRecord.provider`).
    name: str
    # False when the provider generates and checks the codes itself (Twilio Verify): the
    # service then sends no code and asks `check` instead of comparing hashes.
    generates_codes: bool

    async def send(
        self,
        phone: str,
        purpose: VerificationPurpose,
        *,
        code: str | None,
        locale: str | None,
        account_exists: bool,
    ) -> Delivery:
        """Send a code to an E.164 number.

        `code` is None exactly when `generates_codes` is False. `account_exists` is True when
        someone registered with a number that already has an account: the text then says so
        (where the provider lets the service choose the text) and the code signs the owner in.
        """
        ...

    async def check(self, phone: str, code: str) -> bool:
        """Whether the provider accepts the code (only for providers that generate codes)."""
        ...
