from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.db.base import Model, unique_among_live_rows
from app.utils.usernames import USERNAME_MAX_LENGTH, normalize_username

if TYPE_CHECKING:
    from app.models.refresh_token import RefreshToken
    from app.models.user_settings import UserSettings
    from app.models.verification import VerificationRecord

VERIFIED_EMAIL = "email_verified_at IS NOT NULL"


def normalize_email(email: str) -> str:
    return email.strip().lower()


class User(Model):
    """An account, identified by a verified phone number.

    Loading a user (once per authenticated request) reads this row alone: settings,
    verification records and sessions are loaded only when asked for.
    """

    __tablename__ = "users"
    __table_args__ = (
        unique_among_live_rows("uq_users_phone_number_live", "phone_number", field="phone_number"),
        unique_among_live_rows(
            "uq_users_username_normalized_live", "username_normalized", field="username"
        ),
        # An address is someone's only once verified: unverified claims never block another
        # account from using or verifying it.
        unique_among_live_rows(
            "uq_users_email_verified_live",
            "email",
            field="email",
            where=VERIFIED_EMAIL,
        ),
    )

    phone_number: Mapped[str] = mapped_column(String(16))  # E.164
    username: Mapped[str] = mapped_column(String(USERNAME_MAX_LENGTH))  # as the user typed it
    username_normalized: Mapped[str] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(320))
    email_verified_at: Mapped[datetime | None]
    phone_verified_at: Mapped[datetime | None]
    display_name: Mapped[str | None] = mapped_column(String(100))
    bio: Mapped[str | None] = mapped_column(String(500))
    avatar_url: Mapped[str | None] = mapped_column(String(2048))
    date_of_birth: Mapped[date | None]
    locale: Mapped[str | None] = mapped_column(String(35))  # BCP 47 tag
    timezone: Mapped[str | None] = mapped_column(String(64))  # IANA zone name
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=false())
    last_login_at: Mapped[datetime | None]
    # Access tokens issued before this instant are refused (logout everywhere, deletion).
    tokens_valid_after: Mapped[datetime | None]

    settings: Mapped["UserSettings"] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    verifications: Mapped[list["VerificationRecord"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    refresh_tokens: Mapped[list["RefreshToken"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    @validates("username")
    def _set_username_normalized(self, _: str, username: str) -> str:
        self.username_normalized = normalize_username(username)
        return username

    @validates("email")
    def _normalize_email(self, _: str, email: str | None) -> str | None:
        # Stored lower-cased: addresses are matched (and kept unique) case-insensitively.
        return None if email is None else normalize_email(email)
