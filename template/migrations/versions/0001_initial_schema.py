"""Initial schema: users, user_settings, authentications, refresh_tokens.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE_ROWS = sa.text("deleted_at IS NULL")


def _model_columns() -> list[sa.Column[object]]:
    """The columns of `app.db.base.Model`, which every table has."""
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    ]


def _unique_among_live_rows(name: str, table: str, column: str) -> None:
    op.create_index(
        name, table, [column], unique=True, postgresql_where=LIVE_ROWS, sqlite_where=LIVE_ROWS
    )


def upgrade() -> None:
    op.create_table(
        "users",
        *_model_columns(),
        sa.Column("phone_number", sa.String(length=16), nullable=False),
        sa.Column("username", sa.String(length=32), nullable=False),
        sa.Column("username_normalized", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("phone_verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("display_name", sa.String(length=100), nullable=True),
        sa.Column("bio", sa.String(length=500), nullable=True),
        sa.Column("avatar_url", sa.String(length=2048), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("locale", sa.String(length=35), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("is_admin", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tokens_valid_after", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
    )
    _unique_among_live_rows("uq_users_phone_number_live", "users", "phone_number")
    _unique_among_live_rows("uq_users_username_normalized_live", "users", "username_normalized")
    _unique_among_live_rows("uq_users_email_live", "users", "email")

    op.create_table(
        "user_settings",
        *_model_columns(),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("notify_sms", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("notify_email", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("notify_push", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column(
            "profile_visibility", sa.String(length=32), server_default="public", nullable=False
        ),
        sa.Column("show_phone", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("show_email", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("discoverable_by_phone", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("language", sa.String(length=35), server_default="en", nullable=False),
        sa.Column("theme", sa.String(length=32), server_default="system", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_user_settings"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_user_settings_user_id_users", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("user_id", name="uq_user_settings_user_id"),
    )

    op.create_table(
        "authentications",
        *_model_columns(),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=320), nullable=False),
        sa.Column("code_hash", sa.String(length=128), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("max_attempts", sa.Integer(), server_default=sa.text("5"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consumed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("send_count", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("requester_ip", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.String(length=512), nullable=True),
        sa.Column("locale", sa.String(length=35), nullable=True),
        sa.Column("registration_username", sa.String(length=32), nullable=True),
        sa.Column("registration_email", sa.String(length=320), nullable=True),
        sa.Column("registration_display_name", sa.String(length=100), nullable=True),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("provider_ref", sa.String(length=64), nullable=True),
        sa.Column("delivery_status", sa.String(length=32), nullable=True),
        sa.Column("delivery_status_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivery_error_code", sa.String(length=16), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_authentications"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_authentications_user_id_users", ondelete="CASCADE"
        ),
    )
    op.create_index(
        "ix_authentications_target_purpose_created_at",
        "authentications",
        ["target", "purpose", "created_at"],
    )
    op.create_index("ix_authentications_provider_ref", "authentications", ["provider_ref"])
    op.create_index("ix_authentications_user_id", "authentications", ["user_id"])

    op.create_table(
        "refresh_tokens",
        *_model_columns(),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=32), nullable=True),
        sa.Column("replaced_by_id", sa.Uuid(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_agent", sa.String(length=512), nullable=True),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_refresh_tokens"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_refresh_tokens_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by_id"],
            ["refresh_tokens.id"],
            name="fk_refresh_tokens_replaced_by_id_refresh_tokens",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("token_hash", name="uq_refresh_tokens_token_hash"),
    )
    op.create_index(
        "ix_refresh_tokens_user_id_family_id", "refresh_tokens", ["user_id", "family_id"]
    )
    op.create_index("ix_refresh_tokens_family_id", "refresh_tokens", ["family_id"])


def downgrade() -> None:
    # Dropping a table drops its indexes and constraints with it.
    op.drop_table("refresh_tokens")
    op.drop_table("authentications")
    op.drop_table("user_settings")
    op.drop_table("users")
