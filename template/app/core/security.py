"""Signed JWTs (HS256) under a set of keys named by `kid`, so keys can rotate.

The first key in JWT_SIGNING_KEYS signs; every listed key verifies. To rotate, put the new key
first and drop the old one once the longest-lived token signed with it has expired.
"""

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import jwt

from app.core.config.app import AppSettings
from app.core.errors import InvalidTokenError

ALGORITHM = "HS256"
# Tolerates clock skew between the hosts that issue and check tokens.
LEEWAY_SECONDS = 10
REQUIRED_CLAIMS = ("exp", "iat", "jti", "iss", "aud", "type")
# A claim value, not a secret.
ACCESS_TOKEN_TYPE = "access"  # noqa: S105  # nosec B105


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessClaims:
    """The verified claims of an access token that requests act on."""

    user_id: uuid.UUID
    session_id: uuid.UUID
    jti: str
    issued_at: datetime
    expires_at: float  # Unix time


def encode_token(claims: Mapping[str, Any], settings: AppSettings) -> str:
    """Sign `claims`, which must hold `exp` and `type`; adds `iat`, `jti`, `iss` and `aud`."""
    missing = {"exp", "type"} - claims.keys()
    if missing:
        raise ValueError(f"claims lack {', '.join(sorted(missing))}")
    kid, key = next(iter(settings.jwt_signing_keys.items()))
    payload = {
        "iat": datetime.now(UTC),
        "jti": uuid.uuid4().hex,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        **claims,
    }
    return jwt.encode(payload, key.get_secret_value(), algorithm=ALGORITHM, headers={"kid": kid})


def decode_token(token: str, settings: AppSettings, *, expected_type: str) -> dict[str, Any]:
    """The verified claims of `token`, or InvalidTokenError (never says which check failed)."""
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        key = settings.jwt_signing_keys.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise jwt.InvalidTokenError("unknown key id")
        claims: dict[str, Any] = jwt.decode(
            token,
            key.get_secret_value(),
            # Pinned: the token's own `alg` header (e.g. "none") is never trusted.
            algorithms=[ALGORITHM],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": list(REQUIRED_CLAIMS)},
        )
    except jwt.InvalidTokenError as exc:
        raise InvalidTokenError() from exc
    if claims["type"] != expected_type:
        raise InvalidTokenError()
    return claims


def decode_access_token(token: str, settings: AppSettings) -> AccessClaims:
    """Verify signature, key, expiry, issuer, audience and type; InvalidTokenError if not."""
    claims = decode_token(token, settings, expected_type=ACCESS_TOKEN_TYPE)
    try:
        return AccessClaims(
            user_id=uuid.UUID(str(claims["sub"])),
            session_id=uuid.UUID(str(claims["sid"])),
            jti=str(claims["jti"]),
            issued_at=datetime.fromtimestamp(float(claims["iat"]), UTC),
            expires_at=float(claims["exp"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidTokenError() from exc


class AccessTokenVerifier:
    """`decode_access_token` for every request, remembering the claims of recent tokens.

    A client sends the same token on each call for its whole lifetime; the same string
    under the same keys verifies the same way, so only its expiry is checked again (with the
    same leeway). Tokens that fail are not remembered. Revocation is not part of this: the
    caller checks it on every request.
    """

    def __init__(
        self,
        settings: AppSettings,
        *,
        cache_size: int = 4096,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._settings = settings
        self._clock = clock
        self._verified = lru_cache(maxsize=cache_size)(self._verify)

    def __call__(self, token: str) -> AccessClaims:
        claims = self._verified(token)
        if claims.expires_at + LEEWAY_SECONDS <= self._clock():
            raise InvalidTokenError()
        return claims

    def _verify(self, token: str) -> AccessClaims:
        return decode_access_token(token, self._settings)
