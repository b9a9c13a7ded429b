"""Phone-first sign-up and sign-in: register, login, resend, verify.

Enumeration protection: register, login and resend answer the same for numbers with and
without an account and do the same work on both paths (limits, a verification record, a
code hash); only what is sent differs: registering a known number sends a login code, and a
login code for a number without an account is recorded but never sent.
"""

from dataclasses import dataclass

import structlog
from sqlalchemy.exc import IntegrityError

from app.core.business_metrics import NO_BUSINESS_METRICS, BusinessMetrics, VerificationFailure
from app.core.errors import ConflictError, InvalidVerificationCodeError, PermissionDeniedError
from app.db.types import utcnow
from app.db.uow import UnitOfWork
from app.integrations.phone.base import PhoneVerifier
from app.integrations.phone.dispatch import SmsDispatcher, SmsJob
from app.models import Authentication, User, VerificationChannel, VerificationPurpose
from app.services.sessions import SessionService, TokenPair
from app.services.users import NewUser, UserService
from app.services.verification import RemoteCheck, VerificationService
from app.utils.phone import mask_phone
from app.utils.usernames import is_reserved

# The purposes a phone code can have: /auth/verify takes a code without saying which.
PHONE_PURPOSES = (VerificationPurpose.REGISTRATION, VerificationPurpose.LOGIN)

logger = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientInfo:
    """Who is asking, as far as the request tells: kept on records and sessions for audits."""

    ip: str | None = None
    user_agent: str | None = None
    locale: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Registration:
    phone_number: str  # E.164, already validated
    username: str  # already validated
    email: str | None = None
    display_name: str | None = None


class AuthService:
    def __init__(
        self,
        uow: UnitOfWork,
        *,
        verification: VerificationService,
        phone_verifier: PhoneVerifier,
        sms: SmsDispatcher,
        sessions: SessionService,
        users: UserService,
        metrics: BusinessMetrics = NO_BUSINESS_METRICS,
    ) -> None:
        self._uow = uow
        self._verification = verification
        self._verifier = phone_verifier
        self._sms = sms
        self._sessions = sessions
        self._users = users
        self._metrics = metrics

    async def username_available(self, username: str) -> bool:
        return not is_reserved(username) and await self._uow.users.get_by_username(username) is None

    async def register(self, registration: Registration, client: ClientInfo) -> None:
        """Send a registration code, or a login code when the number already has an account."""
        # Usernames are public, so a taken one may be said; checked before the phone, so the
        # answer never depends on whether the number is known.
        if await self._uow.users.get_by_username(registration.username) is not None:
            raise ConflictError("This username is taken", field="username")
        owner = await self._uow.users.get_by_phone(registration.phone_number)
        if owner is None:
            await self._start(
                registration.phone_number,
                VerificationPurpose.REGISTRATION,
                None,
                client,
                registration=registration,
            )
            self._metrics.registration_started()
            return
        # Behaves as a login; the text tells the owner they already have an account.
        await self._start(
            registration.phone_number,
            VerificationPurpose.LOGIN,
            owner,
            client,
            existing_account_notice=True,
        )

    async def login(self, phone_number: str, client: ClientInfo) -> None:
        """Send a login code if the number has an account; answer the same if it has none."""
        owner = await self._uow.users.get_by_phone(phone_number)
        await self._start(phone_number, VerificationPurpose.LOGIN, owner, client)

    async def resend(self, phone_number: str, client: ClientInfo) -> None:
        """Send a new code for the number's open verification, if it has one."""
        await self._verification.count_send(VerificationChannel.SMS, phone_number)
        verification = await self._uow.authentications.latest_for_any(phone_number, PHONE_PURPOSES)
        resendable = (
            verification is not None
            and verification.consumed_at is None
            and verification.attempts < verification.max_attempts
        )
        logger.info("auth_resend", phone=mask_phone(phone_number), resent=resendable)
        if verification is None or not resendable:
            return
        self._verification.renew(verification)
        await self._issue_and_send(verification, client)

    async def verify(self, phone_number: str, code: str, client: ClientInfo) -> TokenPair:
        """Check the code; create the account (registration) or sign the owner in (login)."""
        verification = await self._uow.authentications.latest_for_any(phone_number, PHONE_PURPOSES)
        try:
            verification = await self._verification.consume(
                verification, code, remote_check=self._remote_check(phone_number)
            )
        except InvalidVerificationCodeError:
            logger.info("auth_verify_failed", phone=mask_phone(phone_number))
            raise
        if verification.purpose is VerificationPurpose.REGISTRATION:
            user = await self._create_user(verification)
            self._metrics.registration_completed()
        else:
            user = await self._owner(verification)
            self._metrics.signed_in()
        now = utcnow()
        user.phone_verified_at = user.last_login_at = now
        verification.user_id = user.id
        tokens = await self._sessions.start_session(
            user, user_agent=client.user_agent, ip=client.ip
        )
        logger.info(
            "auth_verified",
            phone=mask_phone(phone_number),
            purpose=verification.purpose.value,
            user_id=str(user.id),
        )
        return tokens

    async def _start(
        self,
        phone_number: str,
        purpose: VerificationPurpose,
        owner: User | None,
        client: ClientInfo,
        *,
        registration: Registration | None = None,
        existing_account_notice: bool = False,
    ) -> None:
        await self._verification.count_send(VerificationChannel.SMS, phone_number)
        verification = self._verification.new_verification(
            purpose, VerificationChannel.SMS, phone_number
        )
        verification.provider = self._verifier.name
        verification.user_id = owner.id if owner else None
        verification.requester_ip = client.ip
        verification.user_agent = client.user_agent
        verification.locale = client.locale
        if registration is not None:
            verification.registration_username = registration.username
            verification.registration_email = registration.email
            verification.registration_display_name = registration.display_name
        self._uow.authentications.add(verification)
        logger.info(
            "auth_code_requested",
            phone=mask_phone(phone_number),
            purpose=purpose.value,
            account_exists=owner is not None,
        )
        await self._issue_and_send(
            verification, client, existing_account_notice=existing_account_notice
        )

    async def _issue_and_send(
        self,
        verification: Authentication,
        client: ClientInfo,
        *,
        existing_account_notice: bool = False,
    ) -> None:
        code = (
            self._verification.issue_code(verification) if self._verifier.generates_codes else None
        )
        # Durable before the message leaves: a worker records its delivery on this row.
        await self._uow.commit()
        if verification.purpose is VerificationPurpose.LOGIN and verification.user_id is None:
            return
        await self._sms.dispatch(
            SmsJob(
                verification_id=verification.id,
                phone=verification.target,
                purpose=verification.purpose,
                code=code,
                locale=client.locale or verification.locale,
                account_exists=existing_account_notice,
                expires_at=verification.expires_at,
            )
        )

    def _remote_check(self, phone_number: str) -> RemoteCheck | None:
        if self._verifier.generates_codes:
            return None

        async def check(code: str) -> bool:
            return await self._verifier.check(phone_number, code)

        return check

    async def _create_user(self, verification: Authentication) -> User:
        new = NewUser(
            phone_number=verification.target,
            username=verification.registration_username or "",
            email=verification.registration_email,
            display_name=verification.registration_display_name,
            locale=verification.locale,
        )
        try:
            return await self._users.create_user(new)
        except IntegrityError as exc:
            # Another registration took the username (or number, or address) between the
            # check and the insert; the unique index decided, and this one lost.
            field = unique_violation_field(exc)
            raise ConflictError(CONFLICT_DETAILS[field], field=field) from exc

    async def _owner(self, verification: Authentication) -> User:
        owner = await self._uow.users.get_by_phone(verification.target)
        if owner is None:
            # A login code for a number without an account (never sent), or an account
            # deleted since the code was sent.
            self._metrics.verification_failed(VerificationFailure.NO_CODE)
            raise InvalidVerificationCodeError()
        if not owner.is_active:
            logger.info(
                "auth_login_refused", phone=mask_phone(owner.phone_number), user_id=str(owner.id)
            )
            raise PermissionDeniedError("This account is disabled")
        return owner


CONFLICT_DETAILS = {
    "username": "This username is taken",
    "email": "This e-mail address is already registered",
    "phone_number": "This phone number is already registered",
}


def unique_violation_field(exc: IntegrityError) -> str:
    """Which of the users' unique values a failed insert collided with."""
    message = str(exc.orig)
    # The index names (PostgreSQL) and column names (SQLite) both hold the field's name.
    for field in ("username", "email"):
        if field in message:
            return field
    return "phone_number"
