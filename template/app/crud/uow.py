"""Unit of work: one session, one transaction, and the repositories that share them."""

from functools import cached_property
from types import TracebackType
from typing import Self

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.crud.feature_flags import FeatureFlagOverrideRepository
from app.crud.refresh_tokens import RefreshTokenRepository
from app.crud.users import UserRepository
from app.crud.verifications import VerificationRepository
from app.db.read_only import makes_read_only_sessions
from app.db.session import SessionFactory
from app.db.unique_violations import as_value_taken

logger = structlog.get_logger(__name__)


class UnitOfWork:
    """Commits when its block ends normally, rolls back when it raises; never half of both.

    `async with UnitOfWork(factory) as uow:` then `uow.users`, `uow.refresh_tokens`, ...
    A write that collides with a live row's unique value raises `ValueTakenError` naming the
    field, from `flush` or the final commit.
    """

    def __init__(self, session_factory: SessionFactory) -> None:
        self._session_factory = session_factory

    # The session and its repositories are made on first use: a request whose work turned
    # out not to need them (a refresh, rotated on the account store) pays for none of them
    # (docs/performance.md).
    @cached_property
    def session(self) -> AsyncSession:
        return self._session_factory()

    @cached_property
    def users(self) -> UserRepository:
        return UserRepository(self.session)

    @cached_property
    def verifications(self) -> VerificationRepository:
        return VerificationRepository(self.session)

    @cached_property
    def refresh_tokens(self) -> RefreshTokenRepository:
        return RefreshTokenRepository(self.session)

    @cached_property
    def feature_flags(self) -> FeatureFlagOverrideRepository:
        return FeatureFlagOverrideRepository(self.session)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if "session" not in vars(self):
            return  # never used: nothing to commit or close
        try:
            if exc_type is None:
                await self._commit()
            else:
                await self.session.rollback()
        finally:
            await self.session.close()

    async def flush(self) -> None:
        """Send pending changes now, so constraint violations surface where they happen."""
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise as_value_taken(exc) or exc from exc

    async def commit_now(self, reason: str) -> None:
        """Commit before the request ends: only for a step that must survive the request
        failing afterwards (a counted attempt, a revoked token family). `reason` says which
        (logged at debug level); everything else commits once, when the unit of work ends.
        """
        logger.debug("early_commit", reason=reason)
        await self._commit()

    async def rollback(self) -> None:
        await self.session.rollback()

    async def _commit(self) -> None:
        try:
            await self.session.commit()
        except IntegrityError as exc:
            raise as_value_taken(exc) or exc from exc


class ReadOnlyUnitOfWork(UnitOfWork):
    """The unit of work of a request that only reads: its session refuses every write
    (app.db.read_only), so a read endpoint that takes it cannot change anything."""

    def __init__(self, session_factory: SessionFactory) -> None:
        if not makes_read_only_sessions(session_factory):
            raise ValueError("A ReadOnlyUnitOfWork needs a read-only session factory")
        super().__init__(session_factory)
