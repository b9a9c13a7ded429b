"""Session endpoints: rotate a refresh token, sign out of one session or of all of them."""

from fastapi import APIRouter, Depends, Request, status

from app.api.auth import CurrentSession
from app.api.deps import SessionServiceDep, client_ip, forbid_caching, rate_limit_auth_ip
from app.api.responses import RATE_LIMITED, UNAUTHENTICATED, UNAVAILABLE, problem
from app.schemas.sessions import TokenPairPublic, TokenRefreshCreate

router = APIRouter(
    prefix="/auth",
    tags=["sessions"],
    dependencies=[Depends(rate_limit_auth_ip)],
    responses=RATE_LIMITED | UNAVAILABLE,
)


@router.post(
    "/refresh",
    summary="Refresh the token pair",
    dependencies=[Depends(forbid_caching)],
    responses=problem(401, "The refresh token is unknown, expired, revoked or used already"),
)
async def create_refreshed_tokens(
    body: TokenRefreshCreate, request: Request, sessions: SessionServiceDep
) -> TokenPairPublic:
    """Exchange a refresh token for a new pair; the presented token stops working."""
    return await sessions.refresh(
        body.refresh_token, user_agent=request.headers.get("user-agent"), ip=client_ip(request)
    )


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Sign out of this session",
    responses=UNAUTHENTICATED,
)
async def delete_session(claims: CurrentSession, sessions: SessionServiceDep) -> None:
    """Sign out of this session: its refresh token and this access token stop working."""
    await sessions.logout(claims.user_id, claims.session_id)


@router.post(
    "/logout-all",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Sign out of every session",
    responses=UNAUTHENTICATED,
)
async def delete_all_sessions(claims: CurrentSession, sessions: SessionServiceDep) -> None:
    """Sign out everywhere: every session's refresh and access tokens stop working."""
    await sessions.logout_all(claims.user_id)
