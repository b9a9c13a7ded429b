import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import VerificationChannel, VerificationPurpose
from app.db.base import Model
from app.db.types import string_enum

if TYPE_CHECKING:
    from app.models.user import User


class VerificationRecord(Model):
    """One verification: a code sent to a phone or an e-mail address, and what became of it.

    Holds the code's hash, never the code (empty when the provider keeps the code, as Twilio
    Verify does). A registration keeps its pending account details here until the code is
    verified and the user is created.

    The table keeps its first name, `authentications`: renaming it would need a migration
    in every deployed service for a name no query shows.
    """

    __tablename__ = "authentications"
    __table_args__ = (
        # The latest verification for a target, and how many were sent lately (rate limits).
        Index("ix_authentications_target_purpose_created_at", "target", "purpose", "created_at"),
    )

    purpose: Mapped[VerificationPurpose] = mapped_column(string_enum(VerificationPurpose))
    channel: Mapped[VerificationChannel] = mapped_column(string_enum(VerificationChannel))
    target: Mapped[str] = mapped_column(String(320))  # E.164 phone or normalised e-mail
    code_hash: Mapped[str] = mapped_column(String(128), default="")
    attempts: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    max_attempts: Mapped[int] = mapped_column(default=5, server_default=text("5"))
    expires_at: Mapped[datetime]
    verified_at: Mapped[datetime | None]
    consumed_at: Mapped[datetime | None]
    send_count: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    last_sent_at: Mapped[datetime | None]
    requester_ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(512))
    locale: Mapped[str | None] = mapped_column(String(35))
    registration_username: Mapped[str | None] = mapped_column(String(32))
    registration_email: Mapped[str | None] = mapped_column(String(320))
    registration_display_name: Mapped[str | None] = mapped_column(String(100))
    provider: Mapped[str] = mapped_column(String(32))
    # Twilio message SID or Verify SID: delivery status callbacks find the record by it.
    provider_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    delivery_status: Mapped[str | None] = mapped_column(String(32))
    delivery_status_at: Mapped[datetime | None]
    delivery_error_code: Mapped[str | None] = mapped_column(String(16))
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )

    user: Mapped["User | None"] = relationship(back_populates="verifications")
