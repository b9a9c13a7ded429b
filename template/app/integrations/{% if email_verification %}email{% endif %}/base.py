"""What the e-mail verification flow needs from a sender, whichever one is configured."""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailMessage:
    to: str
    subject: str
    body: str  # plain text


class EmailSender(Protocol):
    name: str

    async def send(self, message: EmailMessage) -> None:
        """Hand the message over for delivery; ExternalServiceError when that fails."""
        ...


def mask_email(address: str) -> str:
    """Enough of an address to tell log lines apart, not enough to identify anyone."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"
