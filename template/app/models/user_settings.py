import uuid
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import ProfileVisibility, Theme
from app.db.base import Model
from app.db.types import string_enum

if TYPE_CHECKING:
    from app.models.user import User


class UserSettings(Model):
    """Preferences and privacy options; one row per user, created with it."""

    __tablename__ = "user_settings"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    notify_sms: Mapped[bool] = mapped_column(default=True, server_default=true())
    notify_email: Mapped[bool] = mapped_column(default=True, server_default=true())
    notify_push: Mapped[bool] = mapped_column(default=True, server_default=true())
    profile_visibility: Mapped[ProfileVisibility] = mapped_column(
        string_enum(ProfileVisibility),
        default=ProfileVisibility.PUBLIC,
        server_default=ProfileVisibility.PUBLIC.value,
    )
    show_phone: Mapped[bool] = mapped_column(default=False, server_default=false())
    show_email: Mapped[bool] = mapped_column(default=False, server_default=false())
    discoverable_by_phone: Mapped[bool] = mapped_column(default=True, server_default=true())
    language: Mapped[str] = mapped_column(String(35), default="en", server_default="en")
    theme: Mapped[Theme] = mapped_column(
        string_enum(Theme), default=Theme.SYSTEM, server_default=Theme.SYSTEM.value
    )

    user: Mapped["User"] = relationship(back_populates="settings")
