"""Seed data: the admin account named by SEED_ADMIN_PHONE and SEED_ADMIN_USERNAME.

Idempotent (running it again changes nothing) and a no-op when the settings are empty.
Plain SQL on table stubs rather than the models: this must keep working as the models
change after it was written.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

users = sa.table(
    "users",
    sa.column("id", sa.Uuid()),
    sa.column("phone_number", sa.String()),
    sa.column("username", sa.String()),
    sa.column("username_normalized", sa.String()),
    sa.column("phone_verified_at", sa.DateTime(timezone=True)),
    sa.column("is_admin", sa.Boolean()),
    sa.column("deleted_at", sa.DateTime(timezone=True)),
)
user_settings = sa.table(
    "user_settings", sa.column("id", sa.Uuid()), sa.column("user_id", sa.Uuid())
)


def upgrade() -> None:
    settings = context.config.attributes["settings"]
    phone, username = settings.seed_admin_phone, settings.seed_admin_username
    if not phone:
        return
    live_admin = sa.and_(users.c.phone_number == phone, users.c.deleted_at.is_(None))
    # INSERT ... SELECT ... WHERE NOT EXISTS: idempotent in one statement, so it also works
    # in offline (--sql) mode, where nothing can be read first.
    op.execute(
        users.insert().from_select(
            ["id", "phone_number", "username", "username_normalized", "phone_verified_at"],
            sa.select(
                sa.literal(uuid.uuid4(), sa.Uuid()),
                sa.literal(phone),
                sa.literal(username),
                # The rule of app.models.user.normalize_username when this was written.
                sa.literal(username.casefold()),
                sa.func.current_timestamp(),
            ).where(~sa.exists().where(live_admin)),
        )
    )
    # An account that already had the phone number becomes the admin.
    op.execute(users.update().where(live_admin).values(is_admin=True))
    op.execute(
        user_settings.insert().from_select(
            ["id", "user_id"],
            sa.select(sa.literal(uuid.uuid4(), sa.Uuid()), users.c.id).where(
                live_admin, ~sa.exists().where(user_settings.c.user_id == users.c.id)
            ),
        )
    )


def downgrade() -> None:
    # Seeded data stays: the admin account may have been used (and referenced) since.
    pass
