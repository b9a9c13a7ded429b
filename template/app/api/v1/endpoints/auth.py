"""Phone sign-up and sign-in: register, login, resend and verify a code."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.api.deps import AuthServiceDep, ClientInfoDep, rate_limit_auth_ip, require_feature
from app.api.responses import INVALID_CODE, RATE_LIMITED, UNAVAILABLE, problem
from app.core.flags import Flag
from app.schemas.auth import (
    CodeSentPublic,
    LoginCreate,
    RegistrationCreate,
    ResendCreate,
    UsernameAvailabilityPublic,
    VerificationCreate,
)
from app.schemas.fields import UsernameCandidate
from app.schemas.sessions import TokenPairPublic
from app.services.auth import Registration
from app.services.sessions import TokenPair

router = APIRouter(
    prefix="/auth",
    tags=["auth"],
    dependencies=[Depends(rate_limit_auth_ip)],
    # Limits per IP and per phone number, counted in Redis when there is one.
    responses=RATE_LIMITED | UNAVAILABLE,
)

CODE_SENT = CodeSentPublic()


@router.post(
    "/register",
    status_code=202,
    summary="Register a phone number",
    dependencies=[Depends(require_feature(Flag.REGISTRATION))],
    responses=problem(404, "Registration is closed (the `registration` flag is off)")
    | problem(409, "The username is taken"),
)
async def create_registration(
    body: RegistrationCreate, auth: AuthServiceDep, client: ClientInfoDep
) -> CodeSentPublic:
    """Start a registration: a code goes to the phone (a login code if it has an account)."""
    await auth.register(Registration(**body.model_dump()), client)
    return CODE_SENT


@router.get("/username-available")
async def read_username_available(
    username: Annotated[UsernameCandidate, Query()], auth: AuthServiceDep
) -> UsernameAvailabilityPublic:
    """Whether a username can still be registered (usernames are public)."""
    available = await auth.username_available(username)
    return UsernameAvailabilityPublic(username=username, available=available)


@router.post("/login", status_code=202, summary="Send a login code")
async def create_login(
    body: LoginCreate, auth: AuthServiceDep, client: ClientInfoDep
) -> CodeSentPublic:
    """Send a login code; the answer is the same whether or not the number has an account."""
    await auth.login(body.phone_number, client)
    return CODE_SENT


@router.post("/resend", status_code=202, summary="Send a new code")
async def create_resend(
    body: ResendCreate, auth: AuthServiceDep, client: ClientInfoDep
) -> CodeSentPublic:
    """Send a new code for the number's open verification, after a cooldown."""
    await auth.resend(body.phone_number, client)
    return CODE_SENT


@router.post(
    "/verify",
    response_model=TokenPairPublic,
    summary="Verify a code and sign in",
    responses=INVALID_CODE
    | problem(403, "The account is disabled")
    | problem(409, "The username, e-mail address or number was registered meanwhile"),
)
async def create_verification(
    body: VerificationCreate, auth: AuthServiceDep, client: ClientInfoDep
) -> TokenPair:
    """Check a code: creates the account or signs in, and returns a token pair."""
    return await auth.verify(body.phone_number, body.code, client)
