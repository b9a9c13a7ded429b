import uuid

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Model


class FeatureFlagOverride(Model):
    """An administrator's run-time setting of one declared flag (app/core/flags.py).

    Removing an override deletes its row: the flag falls back to its configured default, and
    the audit trail is the log line and metric each change writes.
    """

    __tablename__ = "feature_flag_overrides"

    name: Mapped[str] = mapped_column(String(64), unique=True)
    enabled: Mapped[bool]
    rollout_percent: Mapped[int | None]
    # User ids as strings: a JSON list on both databases, read whole with the row.
    allowed_user_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_by: Mapped[uuid.UUID | None]
