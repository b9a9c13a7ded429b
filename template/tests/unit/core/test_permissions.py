import pytest

from app.core.errors import PermissionDeniedError
from app.core.permissions import Permission, Role, ensure_permission, has_permission, role_of


def test_roles_follow_the_admin_flag() -> None:
    assert role_of(is_admin=False) is Role.USER
    assert role_of(is_admin=True) is Role.ADMIN


@pytest.mark.parametrize("permission", list(Permission))
def test_admins_have_every_permission(permission: Permission) -> None:
    assert has_permission(Role.ADMIN, permission)


def test_users_manage_their_profile_but_not_other_accounts() -> None:
    assert has_permission(Role.USER, Permission.PROFILE_WRITE)
    assert not has_permission(Role.USER, Permission.USERS_READ)
    with pytest.raises(PermissionDeniedError, match="users:manage"):
        ensure_permission(Role.USER, Permission.USERS_MANAGE)
