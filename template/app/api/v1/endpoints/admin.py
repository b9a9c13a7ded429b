"""Account administration; every endpoint needs an administrator."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.api.auth import get_current_admin, require
from app.api.deps import AdminReaderDep, AdminServiceDep
from app.api.responses import AUTHENTICATED, FORBIDDEN, problem
from app.core.permissions import Permission
from app.crud.accounts import Account
from app.models import User
from app.schemas.admin import UserAdminPage, UserAdminPublic, UserAdminQuery, UserAdminUpdate
from app.services.admin import UserFilter

# Admins only, whatever each route asks for besides: a route added here later is guarded too.
router = APIRouter(
    prefix="/admin",
    tags=["admin"],
    dependencies=[Depends(get_current_admin)],
    responses=AUTHENTICATED | FORBIDDEN,
)


@router.get("/users", dependencies=[Depends(require(Permission.USERS_READ))])
async def read_users(
    query: Annotated[UserAdminQuery, Query()], admin: AdminReaderDep
) -> UserAdminPage:
    """Accounts, newest first, one page at a time; filters narrow the list."""
    filters = UserFilter(
        is_active=query.is_active,
        is_admin=query.is_admin,
        query=query.q,
        include_deleted=query.include_deleted,
    )
    page = await admin.list_users(filters, limit=query.limit, cursor=query.cursor)
    return UserAdminPage(
        items=[UserAdminPublic.model_validate(user) for user in page.items],
        next_cursor=page.next_cursor,
    )


@router.patch(
    "/users/{user_id}",
    response_model=UserAdminPublic,
    responses=problem(404, "No account has this id")
    | problem(409, "Administrators cannot deactivate or demote themselves"),
)
async def update_user(
    user_id: uuid.UUID,
    body: UserAdminUpdate,
    actor: Annotated[Account, Depends(require(Permission.USERS_MANAGE))],
    admin: AdminServiceDep,
) -> User:
    """Activate or deactivate an account, or grant or take away admin rights."""
    return await admin.update_user(actor, user_id, is_active=body.is_active, is_admin=body.is_admin)
