"""Keyset pagination: stable pages however many rows are added meanwhile, no OFFSET scans."""

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime

from app.core.errors import ValidationFailedError


@dataclass(frozen=True, slots=True)
class Page[T]:
    items: list[T]
    # Opaque; pass it back to get the next page. None on the last page.
    next_cursor: str | None


def encode_cursor(created_at: datetime, row_id: uuid.UUID) -> str:
    raw = f"{created_at.isoformat()}|{row_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created_at, row_id = raw.split("|")
        parsed = datetime.fromisoformat(created_at), uuid.UUID(row_id)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise ValidationFailedError("The page cursor is not valid", field="cursor") from exc
    if parsed[0].tzinfo is None:
        raise ValidationFailedError("The page cursor is not valid", field="cursor")
    return parsed
