"""The signed-in user's account: profile, preferences, deletion."""

from fastapi import APIRouter, status

from app.api.auth import CurrentUser
from app.api.deps import ProfileServiceDep, SessionServiceDep, UserServiceDep
from app.models import User, UserSettings
from app.schemas.users import UserPublic, UserSettingsPublic, UserSettingsUpdate, UserUpdate

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", response_model=UserPublic)
async def read_me(user: CurrentUser) -> User:
    """The signed-in user's account."""
    return user


@router.patch("/me", response_model=UserPublic)
async def update_me(body: UserUpdate, user: CurrentUser, profiles: ProfileServiceDep) -> User:
    """Change profile fields; a new e-mail address starts unverified."""
    changes = body.model_dump(exclude_unset=True)
    return await profiles.update_profile(user, changes)


@router.get("/me/settings", response_model=UserSettingsPublic)
async def read_my_settings(user: CurrentUser, profiles: ProfileServiceDep) -> UserSettings:
    """The signed-in user's preferences and privacy options."""
    return await profiles.get_settings(user)


@router.patch("/me/settings", response_model=UserSettingsPublic)
async def update_my_settings(
    body: UserSettingsUpdate, user: CurrentUser, profiles: ProfileServiceDep
) -> UserSettings:
    """Change preferences; fields left out stay as they are."""
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    return await profiles.update_settings(user, changes)


@router.delete("/me", status_code=status.HTTP_204_NO_CONTENT)
async def delete_me(user: CurrentUser, users: UserServiceDep, sessions: SessionServiceDep) -> None:
    """Delete the account (soft delete) and end every session it has."""
    ended_at = await users.delete_user(user.id)
    await sessions.refuse_access_tokens_issued_before(user.id, ended_at)
