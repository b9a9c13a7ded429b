"""Authentication dependencies: who is calling, and may they do this.

Runs on every authenticated request, so it stays lean: decode the JWT, one Redis round trip
(the revoked session and the user's tokens_valid_after together), one primary-key read of
the user. Two ways to be the caller, named by what they give:

- `CurrentAccount` (and `OptionalAccount`, `get_current_admin`, `require`): the `Account` read
  model, for every read and every access check. One dependency with none below it, reading
  the row without an ORM session (`Resources.accounts`).
- `CurrentUser`: the ORM `User` in the request's read-write unit of work, for handlers whose
  change of the user takes several steps (the caller's own profile and settings change in
  one UPDATE through `Resources.accounts`). The same checks.
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
        return await _signed_in_account(resources_of(request.app), await self._scheme(request))


async def _signed_in_account(
    resources: Resources, credentials: HTTPAuthorizationCredentials | None
) -> Account:
    claims = await _verified_claims(resources, credentials)
    return _acting(claims, await resources.accounts.read(claims.user_id))


get_current_account = BearerAccount(bearer_scheme)
CurrentAccount = Annotated[Account, Depends(get_current_account)]


async def get_current_user(claims: CurrentSession, uow: UnitOfWorkDep) -> User:
    """The caller as the ORM user in the request's read-write unit of work, for handlers that
    change the user; the same checks as `CurrentAccount`."""
    return _acting(claims, await uow.users.get(claims.user_id))


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_optional_account(credentials: BearerCredentials, request: Request) -> Account | None:
    """None for an anonymous request; a token that is sent must be valid (else 401)."""
    if credentials is None:
        return None
    return await _signed_in_account(resources_of(request.app), credentials)


OptionalAccount = Annotated[Account | None, Depends(get_optional_account)]
# `openapi_extra` of a route with OptionalAccount: FastAPI documents the bearer scheme as
# required; the empty requirement it appends says that no token is accepted too.
OPTIONAL_AUTHENTICATION: dict[str, Any] = {"security": [{}]}


async def get_current_admin(account: CurrentAccount) -> Account:
    if role_of(is_admin=account.is_admin) is not Role.ADMIN:
        raise PermissionDeniedError("Administrators only")
    return account


def require(permission: Permission) -> Callable[[Account], Awaitable[Account]]:
    """A dependency giving the caller's account if their role grants `permission`, else 403."""

    async def current_account_with_permission(account: CurrentAccount) -> Account:
        ensure_permission(role_of(is_admin=account.is_admin), permission)
        return account

    return current_account_with_permission
