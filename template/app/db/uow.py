"""Unit of work: one session, one transaction, and the repositories that share them."""

from types import TracebackType
from typing import Self

from app.crud.authentications import AuthenticationRepository
from app.crud.feature_flags import FeatureFlagOverrideRepository
from app.crud.refresh_tokens import RefreshTokenRepository
from app.crud.users import UserRepository
from app.db.session import SessionFactory


class UnitOfWork:
    """Commits when its block ends normally, rolls back when it raises; never half of both.

    `async with UnitOfWork(factory) as uow:` then `uow.users`, `uow.refresh_tokens`, ...
    Services may also commit early (`await uow.commit()`) to make a step durable, e.g.
    counting a failed attempt before raising.
    """

    def __init__(self, session_factory: SessionFactory) -> None:
        # Sessions are cheap: no connection is taken until the first query.
        self.session = session_factory()
        self.users = UserRepository(self.session)
        self.authentications = AuthenticationRepository(self.session)
        self.refresh_tokens = RefreshTokenRepository(self.session)
        self.feature_flags = FeatureFlagOverrideRepository(self.session)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                await self.session.commit()
            else:
                await self.session.rollback()
        finally:
            await self.session.close()

    async def flush(self) -> None:
        """Send pending changes now, so constraint violations surface where they happen."""
        await self.session.flush()

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
