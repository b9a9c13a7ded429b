"""Authentication dependencies: who is calling, and may they do this.

Runs on every authenticated request, so it stays lean: decode the JWT, one Redis round trip
(the revoked session and the user's tokens_valid_after together), one primary-key read of
the user. Handlers that only read the caller's account take `CurrentAccount`: one dependency
with none below it, reading the row without an ORM session (`Resources.accounts`). Handlers
that change the user take `CurrentUser`, the same checks on the ORM object in the request's
unit of work.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.base import SecurityBase

from app.api.deps import UnitOfWorkDep
from app.api.state import Resources, resources_of
from app.core.errors import AuthenticationError, InvalidTokenError, PermissionDeniedError
from app.core.permissions import Permission, Role, ensure_permission, role_of
from app.core.security import AccessClaims
from app.crud.accounts import Account
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


async def get_current_session(credentials: BearerCredentials, request: Request) -> AccessClaims:
    """The verified claims of the bearer token; 401 unless it is valid and not revoked."""
    # From the application's state rather than through another dependency: this runs on
    # every authenticated request.
    return await _verified_claims(resources_of(request.app), credentials)


async def _verified_claims(
    resources: Resources, credentials: HTTPAuthorizationCredentials | None
) -> AccessClaims:
    if credentials is None:
        raise AuthenticationError("An access token is required")
    claims = resources.access_tokens(credentials.credentials)
    revoked, valid_after = await resources.token_state.access_token_state(
        claims.session_id, claims.user_id, claims.jti
    )
    if revoked or (valid_after is not None and claims.issued_at < valid_after):
        raise InvalidTokenError()
    return claims


CurrentSession = Annotated[AccessClaims, Depends(get_current_session)]


def _acting[AccountT: (User, Account)](claims: AccessClaims, account: AccountT | None) -> AccountT:
    """The account, if it exists, is live and active, and took no logout-all after the token
    was issued; else InvalidTokenError."""
    # The row's tokens_valid_after too: it outlives the Redis entry and survives a Redis loss.
    if (
        account is None
        or not account.is_active
        or (
            account.tokens_valid_after is not None and claims.issued_at < account.tokens_valid_after
        )
    ):
        raise InvalidTokenError()
    return account


class BearerAccount(SecurityBase):
    """The bearer scheme as a dependency that gives the caller's live, active account.

    One dependency with none below it: FastAPI resolving the nested graph (token, session,
    session factory) cost a noticeable share of an authenticated read (docs/performance.md). As a
    security scheme, it documents the route's security in OpenAPI as `bearer_scheme` does.
    """

    def __init__(self, scheme: HTTPBearer) -> None:
        self.model = scheme.model
        self.scheme_name = scheme.scheme_name
        self._scheme = scheme

    async def __call__(self, request: Request) -> Account:
        resources = resources_of(request.app)
        claims = await _verified_claims(resources, await self._scheme(request))
        return _acting(claims, await resources.accounts.read(claims.user_id))


get_current_account = BearerAccount(bearer_scheme)
CurrentAccount = Annotated[Account, Depends(get_current_account)]


async def get_current_user(claims: CurrentSession, uow: UnitOfWorkDep) -> User:
    """The active, not deleted, account the token belongs to, in the request's unit of work."""
    return _acting(claims, await uow.users.get(claims.user_id))


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_optional_user(
    credentials: BearerCredentials, request: Request, uow: UnitOfWorkDep
) -> User | None:
    """None for an anonymous request; a token that is sent must be valid (else 401)."""
    if credentials is None:
        return None
    claims = await get_current_session(credentials, request)
    return await get_current_user(claims, uow)


OptionalUser = Annotated[User | None, Depends(get_optional_user)]
# `openapi_extra` of a route with OptionalUser: FastAPI documents the bearer scheme as
# required; the empty requirement it appends says that no token is accepted too.
OPTIONAL_AUTHENTICATION: dict[str, Any] = {"security": [{}]}


async def get_current_admin(user: CurrentUser) -> User:
    if role_of(is_admin=user.is_admin) is not Role.ADMIN:
        raise PermissionDeniedError("Administrators only")
    return user


def require(permission: Permission) -> Callable[[User], Awaitable[User]]:
    """A dependency giving the current user if their role grants `permission`, else 403."""

    async def current_user_with_permission(user: CurrentUser) -> User:
        ensure_permission(role_of(is_admin=user.is_admin), permission)
        return user

    return current_user_with_permission
