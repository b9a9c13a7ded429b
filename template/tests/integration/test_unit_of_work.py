import pytest
from sqlalchemy import select

from app.crud.uow import UnitOfWork
from app.db.session import SessionFactory
from app.models import User
from tests.factories import UserFactory


class Boom(Exception):
    pass


async def stored_usernames(session_factory: SessionFactory) -> list[str]:
    """What a separate session sees: only what was committed."""
    async with session_factory() as session:
        return list((await session.scalars(select(User.username))).all())


async def test_changes_are_committed_when_the_block_ends(session_factory: SessionFactory) -> None:
    async with UnitOfWork(session_factory) as uow:
        uow.users.add(UserFactory.build(username="kept"))

    assert await stored_usernames(session_factory) == ["kept"]
    assert not uow.session.in_transaction()


async def test_an_exception_leaves_nothing_behind(session_factory: SessionFactory) -> None:
    async def write_then_fail() -> None:
        async with UnitOfWork(session_factory) as uow:
            uow.users.add(UserFactory.build(username="lost"))
            await uow.flush()  # written to the database, not yet committed
            raise Boom

    with pytest.raises(Boom):
        await write_then_fail()

    assert await stored_usernames(session_factory) == []


async def test_an_early_commit_survives_a_later_exception(session_factory: SessionFactory) -> None:
    async def commit_then_fail() -> None:
        async with UnitOfWork(session_factory) as uow:
            uow.users.add(UserFactory.build(username="committed"))
            await uow.session.commit()
            uow.users.add(UserFactory.build(username="rolled-back"))
            raise Boom

    with pytest.raises(Boom):
        await commit_then_fail()

    assert await stored_usernames(session_factory) == ["committed"]


async def test_explicit_rollback_discards_pending_changes(session_factory: SessionFactory) -> None:
    async with UnitOfWork(session_factory) as uow:
        uow.users.add(UserFactory.build(username="discarded"))
        await uow.flush()
        await uow.rollback()

    assert await stored_usernames(session_factory) == []


async def test_repositories_share_the_unit_of_works_session(uow: UnitOfWork) -> None:
    repositories = (uow.users, uow.verifications, uow.refresh_tokens)

    assert all(repository.session is uow.session for repository in repositories)
