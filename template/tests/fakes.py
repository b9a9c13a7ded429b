"""In-memory stand-ins for the unit of work and its repositories, for unit tests of services.

They keep the rules the real ones get from the database (live rows only, case-insensitive
usernames) and nothing else; the real repositories are tested on the real database.
"""

import uuid
from collections.abc import Callable
from datetime import datetime

from app.core.errors import NotFoundError
from app.models import RefreshToken, RevocationReason, User
from app.models.user import normalize_email, normalize_username


class FakeUserRepository:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, User] = {}

    def add(self, instance: User) -> User:
        instance.id = instance.id or uuid.uuid4()
        self.rows[instance.id] = instance
        return instance

    async def get_or_raise(self, row_id: uuid.UUID, *, include_deleted: bool = False) -> User:
        user = self.rows.get(row_id)
        if user is None or (user.is_deleted and not include_deleted):
            raise NotFoundError(f"User {row_id} does not exist")
        return user

    async def get_by_phone(self, phone_number: str) -> User | None:
        return self._find(lambda user: user.phone_number == phone_number)

    async def get_by_username(self, username: str) -> User | None:
        normalized = normalize_username(username)
        return self._find(lambda user: user.username_normalized == normalized)

    async def get_by_email(self, email: str) -> User | None:
        return self._find(lambda user: user.email == normalize_email(email))

    def _find(self, matches: Callable[[User], bool]) -> User | None:
        return next((u for u in self.rows.values() if not u.is_deleted and matches(u)), None)


class FakeRefreshTokenRepository:
    def __init__(self) -> None:
        self.rows: list[RefreshToken] = []

    async def revoke_all_for_user(
        self, user_id: uuid.UUID, *, reason: RevocationReason, at: datetime
    ) -> int:
        live = [t for t in self.rows if t.user_id == user_id and t.revoked_at is None]
        for token in live:
            token.revoked_at, token.revoked_reason = at, reason
        return len(live)


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.users = FakeUserRepository()
        self.refresh_tokens = FakeRefreshTokenRepository()
        self.flushes = 0

    async def flush(self) -> None:
        self.flushes += 1
