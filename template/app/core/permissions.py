"""Who may do what: roles grant permissions.

Two roles today (user, admin). Endpoints ask for a permission (`app.api.auth.require`); the
admin routers also ask for the admin role as a whole, so a new role (say, a moderator) gets
its permissions here and its routes beside those checks. Plain values in, no model: the
caller says which role an account has.
"""

from enum import StrEnum
from typing import Final

from app.core.errors import PermissionDeniedError


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


def role_of(*, is_admin: bool) -> Role:
    return Role.ADMIN if is_admin else Role.USER


def has_permission(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


def ensure_permission(role: Role, permission: Permission) -> None:
    if not has_permission(role, permission):
        raise PermissionDeniedError(f"This needs the {permission} permission")
