"""The signed-in user's account: profile, preferences, deletion."""

from fastapi import APIRouter, status

from app.api.auth import CurrentAccount, CurrentSession, CurrentUser
from app.api.deps import AccountStoreDep, SessionServiceDep, UserServiceDep
from app.api.responses import AUTHENTICATED
from app.core.errors import InvalidTokenError, NotFoundError
from app.crud.accounts import Account, AccountSettings
from app.schemas.users import UserPublic, UserSettingsPublic, UserSettingsUpdate, UserUpdate

router = APIRouter(prefix="/users", tags=["users"], responses=AUTHENTICATED)


@router.get("/me", response_model=UserPublic, summary="Read my account")
async def read_me(account: CurrentAccount) -> Account:
    """The signed-in user's account."""
    return account


@router.patch(
    "/me",
    response_model=UserPublic,
    summary="Update my profile",
)
async def update_me(body: UserUpdate, claims: CurrentSession, accounts: AccountStoreDep) -> Account:
    """Change profile fields; a new e-mail address starts unverified (and is nobody's yet)."""
    changes = body.model_dump(exclude_unset=True)
    account = await accounts.update_profile(claims.user_id, claims.issued_at, changes)
    if account is None:  # deleted, deactivated or signed out everywhere since the token
        raise InvalidTokenError()
    return account


@router.get("/me/settings", response_model=UserSettingsPublic, summary="Read my settings")
async def read_my_settings(account: CurrentAccount, accounts: AccountStoreDep) -> AccountSettings:
    """The signed-in user's preferences and privacy options."""
    settings = await accounts.settings(account.id)
    if settings is None:  # every account is created with them: only a hand-edited database
        raise NotFoundError("This account has no settings")
    return settings


@router.patch("/me/settings", response_model=UserSettingsPublic, summary="Update my settings")
async def update_my_settings(
    body: UserSettingsUpdate, claims: CurrentSession, accounts: AccountStoreDep
) -> AccountSettings:
    """Change preferences; fields left out stay as they are."""
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    settings = await accounts.update_settings(claims.user_id, claims.issued_at, changes)
    if settings is None:
        raise InvalidTokenError()
    return settings


@router.delete("/me", status_code=status.HTTP_204_NO_CONTENT, summary="Delete my account")
async def delete_me(user: CurrentUser, users: UserServiceDep, sessions: SessionServiceDep) -> None:
    """Delete the account (soft delete) and end every session it has."""
    ended_at = await users.delete_user(user.id)
    await sessions.refuse_access_tokens_issued_before(user.id, ended_at)
