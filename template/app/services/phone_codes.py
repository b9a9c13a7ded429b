"""Phone codes for sign-up and sign-in: register, login and resend send one.

Enumeration protection: register, login and resend answer the same for numbers with and
without an account and do the same work on both paths (limits, a verification record, a
code hash, a challenge); only what is sent differs: registering a known number sends a login
code, and a login code for a number without an account is recorded but never sent. The code
is checked by `app.services.sign_in`, against the verification its challenge names.
"""

import uuid
from dataclasses import dataclass

import structlog

from app.core.business_metrics import NO_BUSINESS_METRICS, BusinessMetrics
from app.core.client_network import client_network
from app.core.errors import ValueTakenError
from app.crud.uow import UnitOfWork
from app.integrations.phone.base import CodeVerifier, PhoneProvider
from app.models import VerificationChannel, VerificationPurpose, VerificationRecord
from app.services.sms.dispatch import AfterCommit, SmsDispatcher
from app.services.sms.job import SmsJob
from app.services.sms_guard import SmsGuard
from app.services.verification import VerificationService
from app.utils.phone import mask_phone

# The purposes a phone code can have: /auth/verify takes a code without saying which.
PHONE_PURPOSES = (VerificationPurpose.REGISTRATION, VerificationPurpose.LOGIN)

logger = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientInfo:
    """Who is asking, as far as the request tells: kept on records and sessions for audits."""

    ip: str | None = None
    user_agent: str | None = None
    locale: str | None = None


class PhoneCodeService:
    def __init__(
        self,
        uow: UnitOfWork,
        *,
        verification: VerificationService,
        phone_provider: PhoneProvider,
        sms: SmsDispatcher,
        after_commit: AfterCommit,
        guard: SmsGuard,
        metrics: BusinessMetrics = NO_BUSINESS_METRICS,
    ) -> None:
        self._uow = uow
        self._guard = guard
        self._verification = verification
        self._provider = phone_provider
        self._sms = sms
        self._after_commit = after_commit
        self._metrics = metrics

    async def register(
        self,
        phone_number: str,
        client: ClientInfo,
        *,
        username: str,
        email: str | None = None,
        display_name: str | None = None,
    ) -> str:
        """Send a registration code, or a login code when the number already has an account;
        the challenge that names it.

        The account details wait on the verification record until the code comes back.
        """
        # Usernames are public, so a taken one may be said; checked before the phone, so the
        # answer never depends on whether the number is known.
        if await self._uow.users.get_by_username(username) is not None:
            raise ValueTakenError("username")
        owner_id = await self._uow.users.id_by_phone(phone_number)
        if owner_id is not None:
            # Behaves as a login; the text tells the owner they already have an account.
            return await self._start(
                phone_number, VerificationPurpose.LOGIN, owner_id, client, account_exists=True
            )
        verification = await self._open(
            phone_number, VerificationPurpose.REGISTRATION, None, client
        )
        verification.registration_username = username
        verification.registration_email = email
        verification.registration_display_name = display_name
        await self._send(verification, client)
        self._metrics.registration_started()
        return self._verification.challenges.issue(verification.id)

    async def login(self, phone_number: str, client: ClientInfo) -> str:
        """Send a login code if the number has an account; answer the same if it has none."""
        owner_id = await self._uow.users.id_by_phone(phone_number)
        return await self._start(phone_number, VerificationPurpose.LOGIN, owner_id, client)

    async def resend(self, phone_number: str, challenge: str, client: ClientInfo) -> str:
        """Send a new code for the verification the challenge names, if it is still open.

        Only the client that asked for that code holds its challenge, so no one else can
        replace it.
        """
        await self._count_send(phone_number, client)
        verification = await self._verification.named(challenge, phone_number, PHONE_PURPOSES)
        resendable = (
            verification is not None
            and verification.consumed_at is None
            and verification.attempts < verification.max_attempts
        )
        logger.info("auth_resend", phone=mask_phone(phone_number), resent=resendable)
        if verification is not None and resendable:
            self._verification.renew(verification)
            await self._send(verification, client)
        return challenge

    async def _count_send(self, phone_number: str, client: ClientInfo) -> None:
        network = client_network(client.ip or "unknown")
        # The SMS guard first, so a destination outside the policy always gets its 422; and
        # whether or not a text will go, so the answer never depends on the number's owner.
        await self._guard.admit(phone_number, network)
        await self._verification.count_send(VerificationChannel.SMS, phone_number, network=network)

    async def _start(
        self,
        phone_number: str,
        purpose: VerificationPurpose,
        owner_id: uuid.UUID | None,
        client: ClientInfo,
        *,
        account_exists: bool = False,
    ) -> str:
        verification = await self._open(phone_number, purpose, owner_id, client)
        await self._send(verification, client, account_exists=account_exists)
        return self._verification.challenges.issue(verification.id)

    async def _open(
        self,
        phone_number: str,
        purpose: VerificationPurpose,
        owner_id: uuid.UUID | None,
        client: ClientInfo,
    ) -> VerificationRecord:
        """A verification for a code about to be sent, counted against the number's limits."""
        await self._count_send(phone_number, client)
        verification = self._verification.new_verification(
            purpose, VerificationChannel.SMS, phone_number
        )
        verification.provider = self._provider.name
        verification.user_id = owner_id
        verification.requester_ip = client.ip
        verification.user_agent = client.user_agent
        verification.locale = client.locale
        self._uow.verifications.add(verification)
        logger.info(
            "auth_code_requested",
            phone=mask_phone(phone_number),
            purpose=purpose.value,
            account_exists=owner_id is not None,
        )
        return verification

    async def _send(
        self, verification: VerificationRecord, client: ClientInfo, *, account_exists: bool = False
    ) -> None:
        """A new code for the verification, and its text once the request has committed; a
        login code for a number without an account is recorded but never sent.

        `account_exists`: the text tells the number's owner they already have an account.
        """
        # A provider that verifies codes itself generates them too.
        code = (
            None
            if isinstance(self._provider, CodeVerifier)
            else self._verification.issue_code(verification)
        )
        # For the record's id. The text leaves after the request's commit: the dispatcher
        # never looks for a record that is not there yet.
        await self._uow.flush()
        if verification.purpose is VerificationPurpose.LOGIN and verification.user_id is None:
            return
        self._after_commit.add_task(
            self._sms.dispatch,
            SmsJob(
                verification_id=verification.id,
                to=verification.target,
                purpose=verification.purpose,
                code=code,
                locale=client.locale or verification.locale,
                account_exists=account_exists,
                expires_at=verification.expires_at,
            ),
        )
