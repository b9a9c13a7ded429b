"""Signed JWTs (HS256) under a set of keys named by `kid`, so keys can rotate.

The first key in JWT_SIGNING_KEYS signs; every listed key verifies. To rotate, put the new key
first and drop the old one once the longest-lived token signed with it has expired.
"""

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import jwt

from app.core.config.app import AppSettings
from app.core.errors import AuthenticationError

ALGORITHM = "HS256"
# Tolerates clock skew between the hosts that issue and check tokens.
LEEWAY_SECONDS = 10
REQUIRED_CLAIMS = ("exp", "iat", "jti", "iss", "aud", "type")


class InvalidTokenError(AuthenticationError):
    code = "invalid-token"
    title = "The token is not valid"


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
