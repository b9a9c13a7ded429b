"""Authentication dependencies: who is calling, and may they do this.

Runs on every authenticated request, so it stays lean: decode the JWT, one Redis round trip
(the revoked session and the user's tokens_valid_after together), one primary-key read of the user.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.api.deps import ResourcesDep, SettingsDep, UnitOfWorkDep
from app.core.errors import AuthenticationError, InvalidTokenError, PermissionDeniedError
from app.core.permissions import Permission, Role, ensure_permission, role_of
from app.core.security import AccessClaims, decode_access_token
from app.models import User

# auto_error=False: a missing token is answered by AuthenticationError (problem+json with
# WWW-Authenticate) rather than by FastAPI's own error.
bearer_scheme = HTTPBearer(
    auto_error=False,
    bearerFormat="JWT",
    description="The `access_token` from /api/v1/auth/verify or /api/v1/auth/refresh, valid "
    "30 minutes by default; signing out revokes it at once.",
)
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


async def get_current_session(
    credentials: BearerCredentials, settings: SettingsDep, resources: ResourcesDep
) -> AccessClaims:
    """The verified claims of the bearer token; 401 unless it is valid and not revoked."""
    if credentials is None:
        raise AuthenticationError("An access token is required")
    claims = decode_access_token(credentials.credentials, settings)
    revoked, valid_after = await resources.token_state.access_token_state(
        claims.session_id, claims.user_id, claims.jti
    )
    if revoked or (valid_after is not None and claims.issued_at < valid_after):
        raise InvalidTokenError()
    return claims


CurrentSession = Annotated[AccessClaims, Depends(get_current_session)]


async def get_current_user(claims: CurrentSession, uow: UnitOfWorkDep) -> User:
    """The active, not deleted, account the token belongs to."""
    user = await uow.users.get(claims.user_id)
    # The row's tokens_valid_after too: it outlives the Redis entry and survives a Redis loss.
    if (
        user is None
        or not user.is_active
        or (user.tokens_valid_after is not None and claims.issued_at < user.tokens_valid_after)
    ):
        raise InvalidTokenError()
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_optional_user(
    credentials: BearerCredentials,
    settings: SettingsDep,
    resources: ResourcesDep,
    uow: UnitOfWorkDep,
) -> User | None:
    """None for an anonymous request; a token that is sent must be valid (else 401)."""
    if credentials is None:
        return None
    claims = await get_current_session(credentials, settings, resources)
    return await get_current_user(claims, uow)


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


async def get_current_admin(user: CurrentUser) -> User:
    if role_of(user) is not Role.ADMIN:
        raise PermissionDeniedError("Administrators only")
    return user


AdminUser = Annotated[User, Depends(get_current_admin)]


def require(permission: Permission) -> Callable[[User], Awaitable[User]]:
    """A dependency giving the current user if their role grants `permission`, else 403."""

    async def current_user_with_permission(user: CurrentUser) -> User:
        ensure_permission(user, permission)
        return user

    return current_user_with_permission
