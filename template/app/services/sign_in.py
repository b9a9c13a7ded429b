"""Signing in with a phone code: create the account (registration) or sign the owner in."""

import structlog

from app.core.business_metrics import NO_BUSINESS_METRICS, BusinessMetrics, VerificationFailure
from app.core.errors import InvalidVerificationCodeError, PermissionDeniedError
from app.crud.uow import UnitOfWork
from app.db.types import utcnow
from app.integrations.phone.base import CodeVerifier, PhoneProvider
from app.models import User, VerificationPurpose, VerificationRecord
from app.schemas.sessions import TokenPairPublic
from app.services.phone_codes import PHONE_PURPOSES, ClientInfo
from app.services.sessions import SessionService
from app.services.users import UserService
from app.services.verification import RemoteCheck, VerificationService
from app.utils.phone import mask_phone

logger = structlog.get_logger(__name__)


class SignInService:
    def __init__(
        self,
        uow: UnitOfWork,
        *,
        verification: VerificationService,
        phone_provider: PhoneProvider,
        sessions: SessionService,
        users: UserService,
        metrics: BusinessMetrics = NO_BUSINESS_METRICS,
    ) -> None:
        self._uow = uow
        self._verification = verification
        self._provider = phone_provider
        self._sessions = sessions
        self._users = users
        self._metrics = metrics

    async def verify(
        self, phone_number: str, challenge: str, code: str, client: ClientInfo
    ) -> TokenPairPublic:
        """Check the code of the verification the challenge names; create the account
        (registration) or sign the owner in (login)."""
        verification = await self._verification.named(challenge, phone_number, PHONE_PURPOSES)
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

    def _remote_check(self, phone_number: str) -> RemoteCheck | None:
        """The provider's check when it verifies codes itself; None: the service compares
        the code with its hash."""
        provider = self._provider
        if not isinstance(provider, CodeVerifier):
            return None

        async def check(code: str) -> bool:
            return await provider.check(phone_number, code)

        return check

    async def _create_user(self, verification: VerificationRecord) -> User:
        # Another registration may have taken the username (or number, or address) since
        # the code was sent: the unique index decides, and the loser gets ValueTakenError.
        return await self._users.create_user(
            phone_number=verification.target,
            username=verification.registration_username or "",
            email=verification.registration_email,
            display_name=verification.registration_display_name,
            locale=verification.locale,
        )

    async def _owner(self, verification: VerificationRecord) -> User:
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
