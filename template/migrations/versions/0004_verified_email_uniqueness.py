"""An e-mail address is unique among verified addresses only.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

An unverified address claimed by one account no longer blocks another account from using or
verifying it. The new index is weaker than the old one, so the upgrade never fails on data.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE_ROWS = sa.text("deleted_at IS NULL")
VERIFIED_LIVE_ROWS = sa.text("deleted_at IS NULL AND email_verified_at IS NOT NULL")


def upgrade() -> None:
    op.drop_index("uq_users_email_live", table_name="users")
    op.create_index(
        "uq_users_email_verified_live",
        "users",
        ["email"],
        unique=True,
        postgresql_where=VERIFIED_LIVE_ROWS,
        sqlite_where=VERIFIED_LIVE_ROWS,
    )


def downgrade() -> None:
    # The old index allows one holder per address: unverified claims of an address another
    # live account holds (verified, or claimed earlier) lose it.
    op.execute(
        sa.text(
            "UPDATE users SET email = NULL"
            " WHERE email IS NOT NULL AND deleted_at IS NULL AND email_verified_at IS NULL"
            " AND EXISTS (SELECT 1 FROM users AS other WHERE other.email = users.email"
            " AND other.deleted_at IS NULL AND other.id <> users.id"
            " AND (other.email_verified_at IS NOT NULL OR other.created_at < users.created_at"
            " OR (other.created_at = users.created_at AND other.id < users.id)))"
        )
    )
    op.drop_index("uq_users_email_verified_live", table_name="users")
    op.create_index(
        "uq_users_email_live",
        "users",
        ["email"],
        unique=True,
        postgresql_where=LIVE_ROWS,
        sqlite_where=LIVE_ROWS,
    )
