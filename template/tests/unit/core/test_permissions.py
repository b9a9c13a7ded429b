import uuid

import pytest

from app.core.errors import PermissionDeniedError
from app.core.permissions import (
    Permission,
    Role,
    ensure_owner_or,
    ensure_permission,
    has_permission,
    role_of,
)
from app.models import User
from tests.factories import UserFactory


def user(*, is_admin: bool = False) -> User:
    return UserFactory.build(id=uuid.uuid4(), is_admin=is_admin)


def test_roles_follow_the_admin_flag() -> None:
    assert role_of(user()) is Role.USER
    assert role_of(user(is_admin=True)) is Role.ADMIN


@pytest.mark.parametrize("permission", list(Permission))
def test_admins_have_every_permission(permission: Permission) -> None:
    assert has_permission(user(is_admin=True), permission)


def test_users_manage_their_profile_but_not_other_accounts() -> None:
    member = user()

    assert has_permission(member, Permission.PROFILE_WRITE)
    assert not has_permission(member, Permission.USERS_READ)
    with pytest.raises(PermissionDeniedError, match="users:manage"):
        ensure_permission(member, Permission.USERS_MANAGE)


def test_owners_act_on_their_own_resources_and_admins_on_anyone_s() -> None:
    owner, stranger, admin = user(), user(), user(is_admin=True)

    ensure_owner_or(owner, owner.id, Permission.USERS_MANAGE)
    ensure_owner_or(admin, owner.id, Permission.USERS_MANAGE)
    with pytest.raises(PermissionDeniedError):
        ensure_owner_or(stranger, owner.id, Permission.USERS_MANAGE)
