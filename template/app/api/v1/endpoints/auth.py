"""Phone sign-up and sign-in: register, login, resend and verify a code."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.api.deps import (
    ClientInfoDep,
    PhoneCodeServiceDep,
    SignInServiceDep,
    UserReaderDep,
    forbid_caching,
    rate_limit_auth_ip,
    require_feature,
)
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

router = APIRouter(
    prefix="/auth",
    tags=["auth"],
    dependencies=[Depends(rate_limit_auth_ip)],
    # Limits per IP and per phone number, counted in Redis when there is one.
    responses=RATE_LIMITED | UNAVAILABLE,
)

# The operation ids predate the handlers' names; generated clients are named after them.


@router.post(
    "/register",
    status_code=202,
    summary="Register a phone number",
    operation_id="create_registration_api_v1_auth_register_post",
    dependencies=[Depends(require_feature(Flag.REGISTRATION))],
    responses=problem(404, "Registration is closed (the `registration` flag is off)")
    | problem(409, "The username is taken"),
)
async def register(
    body: RegistrationCreate, codes: PhoneCodeServiceDep, client: ClientInfoDep
) -> CodeSentPublic:
    """Start a registration: a code goes to the phone (a login code if it has an account)."""
    challenge = await codes.register(
        body.phone_number,
        client,
        username=body.username,
        email=body.email,
        display_name=body.display_name,
    )
    return CodeSentPublic(challenge=challenge)


@router.get("/username-available")
async def read_username_available(
    username: Annotated[UsernameCandidate, Query()], users: UserReaderDep
) -> UsernameAvailabilityPublic:
    """Whether a username can still be registered (usernames are public)."""
    available = await users.username_available(username)
    return UsernameAvailabilityPublic(username=username, available=available)


@router.post(
    "/login",
    status_code=202,
    summary="Send a login code",
    operation_id="create_login_api_v1_auth_login_post",
)
async def send_login_code(
    body: LoginCreate, codes: PhoneCodeServiceDep, client: ClientInfoDep
) -> CodeSentPublic:
    """Send a login code; the answer is the same whether or not the number has an account."""
    return CodeSentPublic(challenge=await codes.login(body.phone_number, client))


@router.post(
    "/resend",
    status_code=202,
    summary="Send a new code",
    operation_id="create_resend_api_v1_auth_resend_post",
)
async def resend_code(
    body: ResendCreate, codes: PhoneCodeServiceDep, client: ClientInfoDep
) -> CodeSentPublic:
    """Send a new code for the verification the challenge names, after a cooldown."""
    return CodeSentPublic(challenge=await codes.resend(body.phone_number, body.challenge, client))


@router.post(
    "/verify",
    summary="Verify a code and sign in",
    operation_id="create_verification_api_v1_auth_verify_post",
    dependencies=[Depends(forbid_caching)],
    responses=INVALID_CODE
    | problem(403, "The account is disabled")
    | problem(409, "The username or number was registered meanwhile"),
)
async def verify_code(
    body: VerificationCreate, sign_in: SignInServiceDep, client: ClientInfoDep
) -> TokenPairPublic:
    """Check the code of a challenge: creates the account or signs in; a token pair."""
    return await sign_in.verify(body.phone_number, body.challenge, body.code, client)
