"""The shared repository helpers (load or raise, pages, soft delete) and the user repository."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import Connection, event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.core.errors import NotFoundError, ValidationFailedError
from app.crud.users import UserRepository
from app.db.types import utcnow
from app.models import User
from tests.factories import UserFactory


@pytest.fixture
def users(session: AsyncSession) -> UserRepository:
    return UserRepository(session)


async def add_users(users: UserRepository, count: int) -> list[User]:
    added = [users.add(UserFactory.build()) for _ in range(count)]
    await users.session.flush()
    return added


@contextmanager
def count_statements(connection: AsyncConnection) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_: Connection, __: object, statement: str, *___: object) -> None:
        statements.append(statement)

    event.listen(connection.sync_connection, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(connection.sync_connection, "before_cursor_execute", record)


async def test_get_or_raise_returns_the_row(users: UserRepository) -> None:
    [user] = await add_users(users, 1)

    assert await users.get_or_raise(user.id) is user


async def test_get_or_raise_raises_not_found(users: UserRepository) -> None:
    with pytest.raises(NotFoundError, match="User"):
        await users.get_or_raise(uuid.uuid4())


async def test_loading_a_user_takes_one_statement(
    users: UserRepository, db_connection: AsyncConnection
) -> None:
    [user] = await add_users(users, 1)
    users.session.expunge_all()

    with count_statements(db_connection) as statements:
        loaded = await users.get(user.id)

    assert loaded is not None
    assert loaded.id == user.id
    assert len(statements) == 1


async def test_lookups_by_phone_and_username(users: UserRepository) -> None:
    user = users.add(
        UserFactory.build(phone_number="+15550100001", username="Alice", email="alice@example.com")
    )
    await users.session.flush()

    assert await users.get_by_phone("+15550100001") is user
    assert await users.id_by_phone("+15550100001") == user.id
    assert await users.get_by_username("ALICE") is user
    assert await users.get_by_phone("+15550100002") is None
    assert await users.id_by_phone("+15550100002") is None


async def test_a_deleted_account_holds_no_number(users: UserRepository) -> None:
    [user] = await add_users(users, 1)

    await users.soft_delete(user.id)

    assert await users.id_by_phone(user.phone_number) is None


async def test_soft_delete_hides_the_row_and_restore_brings_it_back(
    users: UserRepository,
) -> None:
    [user] = await add_users(users, 1)

    await users.soft_delete(user.id)

    assert await users.get(user.id) is None
    assert await users.get(user.id, include_deleted=True) is user

    restored = await users.restore(user.id)

    assert restored is user
    assert not user.is_deleted
    assert await users.get(user.id) is user


async def test_restore_fails_when_a_live_row_took_the_value(users: UserRepository) -> None:
    [old] = await add_users(users, 1)
    await users.soft_delete(old.id)
    users.add(UserFactory.build(phone_number=old.phone_number))
    await users.session.flush()

    with pytest.raises(IntegrityError):
        await users.restore(old.id)


async def test_pages_walk_every_row_newest_first(users: UserRepository) -> None:
    added = await add_users(users, 5)
    start = utcnow() - timedelta(hours=1)
    for offset, user in enumerate(added):
        # Two rows share a timestamp: the id breaks the tie.
        user.created_at = start + timedelta(minutes=min(offset, 3))
    await users.session.flush()

    seen: list[User] = []
    cursor = None
    while True:
        page = await users.page(limit=2, cursor=cursor)
        seen.extend(page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor

    expected = sorted(added, key=lambda u: (u.created_at, u.id), reverse=True)
    assert [u.id for u in seen] == [u.id for u in expected]


async def test_pages_filter_and_hide_deleted_rows(users: UserRepository) -> None:
    admin, deleted_admin, _ = await add_users(users, 3)
    admin.is_admin = deleted_admin.is_admin = True
    deleted_admin.soft_delete()
    await users.session.flush()

    page = await users.page(limit=10, where=User.is_admin.is_(True))
    with_deleted = await users.page(limit=10, where=User.is_admin.is_(True), include_deleted=True)

    assert page.items == [admin]
    assert page.next_cursor is None
    assert set(with_deleted.items) == {admin, deleted_admin}


async def test_a_bad_cursor_is_refused(users: UserRepository) -> None:
    with pytest.raises(ValidationFailedError):
        await users.page(limit=10, cursor="garbage")
