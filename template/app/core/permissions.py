"""Who may do what: roles grant permissions; owners act on their own resources.

Two roles today (user, admin). Endpoints ask for a permission, never for a role, so adding a
role (say, a moderator) is a change here alone.
"""

import uuid
from enum import StrEnum
from typing import Final

from app.core.errors import PermissionDeniedError
from app.models import User


class Permission(StrEnum):
    PROFILE_READ = "profile:read"
    PROFILE_WRITE = "profile:write"
    USERS_READ = "users:read"  # any account, as administrators see them
    USERS_MANAGE = "users:manage"  # activate, deactivate, grant admin
    FEATURES_MANAGE = "features:manage"  # run-time feature flag overrides


class Role(StrEnum):
    USER = "user"
    ADMIN = "admin"


ROLE_PERMISSIONS: Final[dict[Role, frozenset[Permission]]] = {
    Role.USER: frozenset({Permission.PROFILE_READ, Permission.PROFILE_WRITE}),
    Role.ADMIN: frozenset(Permission),
}


def role_of(user: User) -> Role:
    return Role.ADMIN if user.is_admin else Role.USER


def has_permission(user: User, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role_of(user)]


def ensure_permission(user: User, permission: Permission) -> None:
    if not has_permission(user, permission):
        raise PermissionDeniedError(f"This needs the {permission} permission")


def ensure_owner_or(user: User, owner_id: uuid.UUID, permission: Permission) -> None:
    """The owner of a resource may act on it; anyone else needs `permission` (admins have it)."""
    if user.id != owner_id:
        ensure_permission(user, permission)
