"""Sessions: short-lived access tokens (JWT) and rotated, opaque refresh tokens.

A session is one refresh-token family: the access token names it in its `sid` claim, and
every rotation adds a token to it. Presenting a token that was already rotated means two
parties hold it (RFC 9700, 4.14.2): the whole family is revoked.
"""

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta
from typing import NoReturn

import structlog

from app.core.business_metrics import NO_BUSINESS_METRICS, BusinessMetrics, SessionRevocation
from app.core.config import Settings
from app.core.errors import InvalidRefreshTokenError
from app.core.security import ACCESS_TOKEN_TYPE, encode_token
from app.core.token_state import TokenStateStore
from app.crud.accounts import AccountStore
from app.crud.refresh_tokens import NewRefreshToken, PresentedToken
from app.crud.uow import UnitOfWork
from app.db.types import utcnow
from app.models import RevocationReason, User
from app.schemas.sessions import BEARER, TokenPairPublic

logger = structlog.get_logger("app.auth")


def hash_refresh_token(token: str) -> str:
    # A fast hash is enough: the token is 256 random bits, not a guessable password.
    return hashlib.sha256(token.encode()).hexdigest()


class SessionService:
    def __init__(
        self,
        uow: UnitOfWork,
        accounts: AccountStore,
        settings: Settings,
        token_state: TokenStateStore,
        *,
        metrics: BusinessMetrics = NO_BUSINESS_METRICS,
    ) -> None:
        self._uow = uow
        self._accounts = accounts
        self._settings = settings
        self._token_state = token_state
        self._metrics = metrics

    async def start_session(
        self, user: User, *, user_agent: str | None, ip: str | None
    ) -> TokenPairPublic:
        """A new session (token family) for a user who just proved who they are."""
        now = utcnow()
        session_id = uuid.uuid4()
        refresh_token, stored = self._new_refresh_token(now, user_agent=user_agent, ip=ip)
        await self._uow.refresh_tokens.create(stored, user_id=user.id, family_id=session_id, at=now)
        user.last_login_at = now
        logger.info("session_started", user_id=str(user.id), session_id=str(session_id))
        return self._pair(user.id, session_id, refresh_token, now)

    async def refresh(
        self, refresh_token: str, *, user_agent: str | None, ip: str | None
    ) -> TokenPairPublic:
        """Rotate: a new pair for the same session; the presented token is retired."""
        now = utcnow()
        new_token, successor = self._new_refresh_token(now, user_agent=user_agent, ip=ip)
        rotation = await self._accounts.rotate_refresh_token(
            hash_refresh_token(refresh_token), successor, now
        )
        stored = rotation.presented
        if stored is None:
            logger.info("refresh_refused", reason="unknown")
            raise InvalidRefreshTokenError()
        if not rotation.rotated:
            await self._refuse(stored, now)
        self._metrics.refresh_rotated()
        logger.info(
            "session_refreshed", user_id=str(stored.user_id), session_id=str(stored.family_id)
        )
        return self._pair(stored.user_id, stored.family_id, new_token, now)

    async def logout(self, user_id: uuid.UUID, session_id: uuid.UUID) -> None:
        """End one session at once: its refresh tokens and every access token it was given."""
        now = utcnow()
        await self._uow.refresh_tokens.revoke_family(
            session_id, reason=RevocationReason.LOGOUT, at=now
        )
        await self._token_state.revoke_session(session_id)
        self._metrics.session_revoked(SessionRevocation.LOGOUT)
        logger.info("logout", user_id=str(user_id), session_id=str(session_id))

    async def logout_all(
        self, user_id: uuid.UUID, *, reason: SessionRevocation = SessionRevocation.LOGOUT_ALL
    ) -> None:
        """End every session of the user: refresh tokens revoked, access tokens refused.

        `reason` is what the revocation is counted as (the user's own, or an admin's).
        """
        now = utcnow()
        user = await self._uow.users.get_or_raise(user_id)
        user.tokens_valid_after = now
        revoked = await self._uow.refresh_tokens.revoke_all_for_user(
            user_id, reason=RevocationReason.LOGOUT_ALL, at=now
        )
        await self.refuse_access_tokens_issued_before(user_id, now)
        self._metrics.session_revoked(reason)
        logger.info("logout_all", user_id=str(user_id), refresh_tokens_revoked=revoked)

    async def refuse_access_tokens_issued_before(self, user_id: uuid.UUID, at: datetime) -> None:
        """Every access token check reads this from Redis, so it takes effect at once."""
        await self._token_state.set_tokens_valid_after(user_id, at)

    async def _refuse(self, stored: PresentedToken, now: datetime) -> NoReturn:
        """Says why the presented token did not rotate; one rotated already means two parties
        hold it, so its whole family is revoked."""
        if stored.rotatable_at(now):  # live when read: a parallel request rotated it since
            await self._revoke_stolen_family(stored, now)
        elif stored.revoked_at is not None:
            if stored.revoked_reason == RevocationReason.ROTATED:
                await self._revoke_stolen_family(stored, now)
            logger.info("refresh_refused", reason="revoked", session_id=str(stored.family_id))
        elif stored.expires_at <= now:
            logger.info("refresh_refused", reason="expired", session_id=str(stored.family_id))
        else:
            logger.info("refresh_refused", reason="inactive", session_id=str(stored.family_id))
        raise InvalidRefreshTokenError()

    async def _revoke_stolen_family(self, stored: PresentedToken, now: datetime) -> None:
        await self._uow.refresh_tokens.revoke_family(
            stored.family_id, reason=RevocationReason.REUSE_DETECTED, at=now
        )
        await self._uow.commit_now("the family stays revoked though this request fails next")
        # The family's access tokens too: the thief may hold one from an earlier refresh.
        await self._token_state.revoke_session(stored.family_id)
        self._metrics.refresh_reuse_detected()
        self._metrics.session_revoked(SessionRevocation.REUSE_DETECTED)
        logger.warning(
            "refresh_token_reuse_detected",
            user_id=str(stored.user_id),
            session_id=str(stored.family_id),
        )

    def _new_refresh_token(
        self, now: datetime, *, user_agent: str | None, ip: str | None
    ) -> tuple[str, NewRefreshToken]:
        """A new refresh token, and the row that stores it (its hash, never the token)."""
        token = secrets.token_urlsafe(32)
        return token, NewRefreshToken(
            id=uuid.uuid4(),
            token_hash=hash_refresh_token(token),
            expires_at=now + timedelta(seconds=self._settings.refresh_token_ttl_seconds),
            user_agent=user_agent[:512] if user_agent else None,
            ip_address=ip[:45] if ip else None,
        )

    def _pair(
        self, user_id: uuid.UUID, session_id: uuid.UUID, refresh_token: str, now: datetime
    ) -> TokenPairPublic:
        ttl = self._settings.access_token_ttl_seconds
        access_token = encode_token(
            {
                "sub": str(user_id),
                "sid": str(session_id),
                "type": ACCESS_TOKEN_TYPE,
                # Sub-second `iat`, so a token issued just after a logout-all is not refused
                # as issued before it (JWT NumericDate allows fractions).
                "iat": now.timestamp(),
                "nbf": int(now.timestamp()),
                "exp": now + timedelta(seconds=ttl),
            },
            self._settings,
        )
        return TokenPairPublic(
            access_token=access_token,
            refresh_token=refresh_token,
            token_type=BEARER,
            expires_in=ttl,
        )
