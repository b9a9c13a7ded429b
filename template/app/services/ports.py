"""What services need from the data layer, as Protocols.

`app.db.uow.UnitOfWork` and its repositories satisfy them; unit tests pass in-memory fakes
(`tests/fakes.py`) instead, so business rules are tested without a database.
"""

import uuid
from datetime import datetime
from typing import Protocol

from app.models import RevocationReason, User


class UserRepositoryPort(Protocol):
    def add(self, instance: User) -> User: ...

    async def get_or_raise(self, row_id: uuid.UUID, *, include_deleted: bool = False) -> User: ...

    async def get_by_phone(self, phone_number: str) -> User | None: ...

    async def get_by_username(self, username: str) -> User | None: ...

    async def get_by_email(self, email: str) -> User | None: ...


class RefreshTokenRepositoryPort(Protocol):
    async def revoke_all_for_user(
        self, user_id: uuid.UUID, *, reason: RevocationReason, at: datetime
    ) -> int: ...


class UnitOfWorkPort(Protocol):
    @property
    def users(self) -> UserRepositoryPort: ...

    @property
    def refresh_tokens(self) -> RefreshTokenRepositoryPort: ...

    async def flush(self) -> None: ...
