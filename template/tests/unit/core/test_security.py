import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from pydantic import SecretStr, ValidationError

from app.core.config import Settings, TestingSettings
from app.core.config.app import DERIVED_JWT_KID
from app.core.errors import InvalidTokenError
from app.core.security import LEEWAY_SECONDS, AccessTokenVerifier, decode_token, encode_token
from tests.production import production_settings

# Random values (secrets.token_urlsafe(48)): production judges how guessable a key is.
NEW_KEY = "q3Vv0mX8pZ2k7tT9cR1bW4yH6nJ5sL0aE8dF2gK7uQ3iO9xC1vB6zN4mP8rS5wY2"
OLD_KEY = "Zr7Lk2Nw9Qf4Ht1Bx6Mc8Vj3Pd5Sg0Ay7Ke2Ru9Tn4Wq1Hm6Lb8Xc3Fz5Gv0Js7"


def keyed_settings(**keys: str) -> Settings:
    return TestingSettings(
        _env_file=None,
        jwt_signing_keys={kid: SecretStr(key) for kid, key in keys.items()},
    )


def access_claims() -> dict[str, Any]:
    return {"sub": "user-1", "type": "access", "exp": datetime.now(UTC) + timedelta(minutes=5)}


def test_a_signed_token_verifies_and_carries_its_claims(settings: Settings) -> None:
    token = encode_token(access_claims(), settings)

    claims = decode_token(token, settings, expected_type="access")

    assert claims["sub"] == "user-1"
    assert claims["iss"] == settings.jwt_issuer
    assert claims["aud"] == settings.jwt_audience
    assert {"exp", "iat", "jti"} <= claims.keys()
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT", "kid": "dev"}


def test_every_token_gets_its_own_id(settings: Settings) -> None:
    first = decode_token(encode_token(access_claims(), settings), settings, expected_type="access")
    second = decode_token(encode_token(access_claims(), settings), settings, expected_type="access")

    assert first["jti"] != second["jti"]


def test_the_default_key_is_derived_from_the_secret_key_not_equal_to_it(
    settings: Settings,
) -> None:
    (kid, key), *others = settings.jwt_signing_keys.items()

    assert (kid, others) == (DERIVED_JWT_KID, [])
    assert key.get_secret_value() != settings.secret_key.get_secret_value()
    assert len(key.get_secret_value()) >= 32


def test_the_first_key_signs_and_an_older_listed_key_still_verifies() -> None:
    before = keyed_settings(old=OLD_KEY)
    after = keyed_settings(new=NEW_KEY, old=OLD_KEY)
    old_token = encode_token(access_claims(), before)

    new_token = encode_token(access_claims(), after)

    assert jwt.get_unverified_header(new_token)["kid"] == "new"
    assert decode_token(old_token, after, expected_type="access")["sub"] == "user-1"


def test_a_token_whose_key_was_dropped_is_refused() -> None:
    old_token = encode_token(access_claims(), keyed_settings(old=OLD_KEY))

    with pytest.raises(InvalidTokenError):
        decode_token(old_token, keyed_settings(new=NEW_KEY), expected_type="access")


def test_a_token_without_a_key_id_is_refused(settings: Settings) -> None:
    claims = decode_token(encode_token(access_claims(), settings), settings, expected_type="access")
    key = settings.jwt_signing_keys[DERIVED_JWT_KID].get_secret_value()

    with pytest.raises(InvalidTokenError):
        decode_token(jwt.encode(claims, key), settings, expected_type="access")


def test_an_unsigned_alg_none_token_is_refused(settings: Settings) -> None:
    claims = decode_token(encode_token(access_claims(), settings), settings, expected_type="access")
    unsigned = jwt.encode(claims, key="", algorithm="none", headers={"kid": DERIVED_JWT_KID})

    with pytest.raises(InvalidTokenError):
        decode_token(unsigned, settings, expected_type="access")


def test_a_token_signed_with_another_key_under_a_known_kid_is_refused(settings: Settings) -> None:
    forged = encode_token(access_claims(), keyed_settings(dev=NEW_KEY))

    with pytest.raises(InvalidTokenError):
        decode_token(forged, settings, expected_type="access")


@pytest.mark.parametrize("field", ["jwt_issuer", "jwt_audience"])
def test_a_token_for_another_issuer_or_audience_is_refused(settings: Settings, field: str) -> None:
    other = settings.model_copy(update={field: "someone-else"})
    token = encode_token(access_claims(), other)

    with pytest.raises(InvalidTokenError):
        decode_token(token, settings, expected_type="access")


def test_a_token_of_another_type_is_refused(settings: Settings) -> None:
    token = encode_token({**access_claims(), "type": "refresh"}, settings)

    with pytest.raises(InvalidTokenError):
        decode_token(token, settings, expected_type="access")


def test_an_expired_token_is_refused_past_the_leeway(settings: Settings) -> None:
    now = datetime.now(UTC)
    just_expired = encode_token({**access_claims(), "exp": now - timedelta(seconds=2)}, settings)
    long_expired = encode_token({**access_claims(), "exp": now - timedelta(minutes=5)}, settings)

    assert decode_token(just_expired, settings, expected_type="access")["sub"] == "user-1"
    with pytest.raises(InvalidTokenError):
        decode_token(long_expired, settings, expected_type="access")


@pytest.mark.parametrize("claim", ["exp", "iat", "jti"])
def test_a_token_lacking_a_required_claim_is_refused(settings: Settings, claim: str) -> None:
    claims = decode_token(encode_token(access_claims(), settings), settings, expected_type="access")
    del claims[claim]
    key = settings.jwt_signing_keys[DERIVED_JWT_KID].get_secret_value()
    token = jwt.encode(claims, key, headers={"kid": DERIVED_JWT_KID})

    with pytest.raises(InvalidTokenError):
        decode_token(token, settings, expected_type="access")


def test_garbage_is_refused(settings: Settings) -> None:
    with pytest.raises(InvalidTokenError):
        decode_token("not-a-jwt", settings, expected_type="access")


@pytest.mark.parametrize("claim", ["exp", "type"])
def test_encoding_needs_an_expiry_and_a_type(settings: Settings, claim: str) -> None:
    claims = access_claims()
    del claims[claim]

    with pytest.raises(ValueError, match=claim):
        encode_token(claims, settings)


@pytest.mark.parametrize("weak", ["too-short", "k" * 64, "signing-key-of-at-least-32-bytes"])
def test_production_refuses_guessable_signing_keys(weak: str) -> None:
    with pytest.raises(ValidationError, match=r"JWT_SIGNING_KEYS: too easy to guess: .* weak"):
        production_settings(jwt_signing_keys={"2025": SecretStr(NEW_KEY), "weak": SecretStr(weak)})


def access_token(settings: Settings, *, expires_in: timedelta) -> str:
    claims = {
        "sub": str(uuid.uuid4()),
        "sid": str(uuid.uuid4()),
        "type": "access",
        "exp": datetime.now(UTC) + expires_in,
    }
    return encode_token(claims, settings)


def test_the_verifier_remembers_a_token_but_still_refuses_it_once_expired(
    settings: Settings,
) -> None:
    now = [time.time()]
    verifier = AccessTokenVerifier(settings, clock=lambda: now[0])
    token = access_token(settings, expires_in=timedelta(minutes=1))

    first = verifier(token)
    assert verifier(token) is first  # verified once, remembered

    now[0] = first.expires_at + LEEWAY_SECONDS
    with pytest.raises(InvalidTokenError):
        verifier(token)


def test_the_verifier_remembers_no_refused_token(settings: Settings) -> None:
    verifier = AccessTokenVerifier(settings)
    header, payload, signature = access_token(settings, expires_in=timedelta(minutes=1)).split(".")
    # The first character: every bit of it is signature (the last one's low bits are not).
    tampered = f"{header}.{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"

    for _ in range(2):
        with pytest.raises(InvalidTokenError):
            verifier(tampered)
