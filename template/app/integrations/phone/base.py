"""What a phone verification backend is: one that sends texts with the service's own codes,
or one that generates, sends and checks the codes itself; its type says which."""

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from app.core.enums import VerificationPurpose


@dataclass(frozen=True, slots=True)
class Delivery:
    """What the provider said about a message it accepted; stored on the verification record."""

    provider_ref: str | None
    status: str | None


@dataclass(frozen=True, slots=True)
class TextMessage:
    """A verification text as the service wrote it (`messages.TextWriter`), ready to send."""

    # E.164. Out of the repr with the code and the body that holds it, so a text that ends up
    # in a log or a traceback shows none of them.
    to: str = field(repr=False)
    body: str = field(repr=False)
    purpose: VerificationPurpose
    code: str = field(repr=False)


@runtime_checkable
class TextSender(Protocol):
    """Sends the service's codes in texts the service writes (the console, Twilio Messaging);
    the service generates and checks the codes."""

    # Stored on each verification record (`VerificationRecord.provider`).
    name: str

    async def send(self, text: TextMessage) -> Delivery:
        """Carry the text, written already, to its number: a sender only transports it."""
        ...


@runtime_checkable
class CodeVerifier(Protocol):
    """Generates, sends and checks the codes itself (Twilio Verify): the service sends no
    code and asks `check` instead of comparing hashes."""

    name: str

    async def start(self, to: str, *, locale: str | None) -> Delivery:
        """Have a code texted to an E.164 number, in the provider's own words."""
        ...

    async def check(self, to: str, code: str) -> bool:
        """Whether the provider accepts the code for the number."""
        ...


PhoneProvider = TextSender | CodeVerifier
