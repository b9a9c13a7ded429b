"""The references for the code flows, with the drivers alone, doing the service's work:

- `POST /auth/login`: the per-address limit; the number parsed and checked as the service's
  schema checks it (`phonenumbers`: international form, valid, can receive a text); the SMS
  destination policy (allowed country and number type) and its four send budgets (client
  network, number prefix, country, service), then the code-send limits of the client and of
  the number, all counted in Redis by the same `limits` moving window; then in one
  transaction the account looked up by number and a verification recorded with the HMAC of
  a new code; the challenge (its id and an HMAC of it) is the answer. A code for a number
  with an account would be texted after the response: not referenced (the benchmark logs in
  numbers without one, whose codes are recorded and never sent).
- `POST /auth/verify` for a login code: the per-address limit; the challenge's HMAC checked;
  the verification read, the attempt counted and committed before the code is compared (as
  the service does, so guesses cannot outrun the limit), the code's HMAC compared in
  constant time; then in one transaction the verification used up (single use), the owner
  checked active and marked verified and signed in, and a session started.
"""

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import phonenumbers
from driver_shared import AUTH_LIMIT, client_network, count, start_session, state, token_pair
from fastapi import APIRouter, HTTPException, Request
from limits import parse
from pydantic import AfterValidator, BaseModel, Field

SECRET_KEY = os.environ["BENCH_SECRET_KEY"].encode()
CODE_KEY = hmac.new(SECRET_KEY, b"verification-code", hashlib.sha256).digest()
CHALLENGE_KEY = hmac.new(SECRET_KEY, b"verification-challenge", hashlib.sha256).digest()
ALLOWED_REGIONS = frozenset(os.environ["BENCH_SMS_ALLOWED_REGIONS"].split(","))
TEXTABLE = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)
SMS_CAPABLE = TEXTABLE | {
    phonenumbers.PhoneNumberType.VOIP,
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
}
BUDGET = parse(f"{os.environ['BENCH_SMS_BUDGET_PER_HOUR']}/hour")  # each of the four caps
SENDS_PER_CLIENT = parse(os.environ["BENCH_SENDS_PER_CLIENT"])
SENDS_PER_NUMBER = parse(os.environ["BENCH_SENDS_PER_NUMBER"])
PREFIX_DIGITS = 8
CODE_TTL = timedelta(minutes=10)  # the service's defaults
MAX_ATTEMPTS = 5
PHONE_INPUT = r"^\+[0-9 ().\-]{4,31}$"
CODE_SENT = "If this number can receive text messages, a code is on its way."

USER_BY_PHONE = "SELECT id FROM users WHERE phone_number = $1 AND deleted_at IS NULL"
RECORD_VERIFICATION = """
    INSERT INTO authentications (id, purpose, channel, target, code_hash, attempts,
        max_attempts, expires_at, send_count, last_sent_at, requester_ip, user_agent, locale,
        provider, user_id, created_at, updated_at)
    VALUES ($1, 'login', 'sms', $2, $3, 0, $4, $5, 1, $6, $7, $8, $9, 'twilio', $10, $6, $6)
"""
VERIFICATION_BY_ID = """
    SELECT purpose, target, code_hash, expires_at, consumed_at
    FROM authentications WHERE id = $1 AND deleted_at IS NULL
"""
CLAIM_ATTEMPT = """
    UPDATE authentications SET attempts = attempts + 1, updated_at = now()
    WHERE id = $1 AND attempts < max_attempts AND deleted_at IS NULL RETURNING id
"""
MARK_CONSUMED = """
    UPDATE authentications SET consumed_at = $2, verified_at = $2, updated_at = $2
    WHERE id = $1 AND consumed_at IS NULL AND deleted_at IS NULL RETURNING id
"""
OWNER_BY_PHONE = "SELECT id, is_active FROM users WHERE phone_number = $1 AND deleted_at IS NULL"
SIGNED_IN = """
    UPDATE users SET phone_verified_at = $2, last_login_at = $2, updated_at = $2 WHERE id = $1
"""

router = APIRouter()


def e164(raw: str) -> str:
    """The service's phone number field: an international number an SMS can reach."""
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException as exc:
        raise ValueError("Not a phone number in international format") from exc
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in (
        SMS_CAPABLE
    ):
        raise ValueError("Not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


PhoneNumber = Annotated[str, Field(max_length=32, pattern=PHONE_INPUT), AfterValidator(e164)]


class LoginRequest(BaseModel):
    phone_number: PhoneNumber


class VerifyRequest(BaseModel):
    phone_number: PhoneNumber
    challenge: str = Field(min_length=43, max_length=43, pattern=r"^[A-Za-z0-9_-]+$")
    code: str = Field(pattern=r"^[0-9]{6}$")


def code_hash(purpose: str, target: str, code: str) -> str:
    return hmac.new(CODE_KEY, f"{purpose}:{target}:{code}".encode(), hashlib.sha256).hexdigest()


def challenge_mac(raw_id: bytes) -> bytes:
    return hmac.new(CHALLENGE_KEY, raw_id, hashlib.sha256).digest()[:16]


def challenge_of(verification_id: uuid.UUID) -> str:
    raw_id = verification_id.bytes
    return base64.urlsafe_b64encode(raw_id + challenge_mac(raw_id)).rstrip(b"=").decode()


def verification_named(challenge: str) -> uuid.UUID | None:
    try:
        raw = base64.urlsafe_b64decode(challenge + "=" * (-len(challenge) % 4))
    except (binascii.Error, ValueError):
        return None
    raw_id, mac = raw[:16], raw[16:]
    if len(raw_id) != 16 or not hmac.compare_digest(mac, challenge_mac(raw_id)):
        return None
    return uuid.UUID(bytes=raw_id)


async def admit_text(phone: str, network: str) -> None:
    """The destination policy and the send budgets and limits, as the service counts them."""
    number = phonenumbers.parse(phone, None)
    region = phonenumbers.region_code_for_number(number)
    if region not in ALLOWED_REGIONS or phonenumbers.number_type(number) not in TEXTABLE:
        raise HTTPException(422)
    prefix = phone.lstrip("+")[:PREFIX_DIGITS]
    for cap, identifier in (("client", network), ("prefix", prefix), ("country", region)):
        await count(BUDGET, f"sms-{cap}", identifier)
    await count(BUDGET, "sms-global", "all")
    await count(SENDS_PER_CLIENT, "code-sends-client", "sms", phone, network)
    await count(SENDS_PER_NUMBER, "code-sends", "sms", phone)


@router.post("/auth/login", status_code=202)
async def login(body: LoginRequest, request: Request) -> dict[str, str]:
    network = client_network(request)
    await count(AUTH_LIMIT, "auth-ip", network)
    await admit_text(body.phone_number, network)
    now, verification_id = datetime.now(UTC), uuid.uuid4()
    code = f"{secrets.randbelow(10**6):06d}"
    user_agent = request.headers.get("user-agent")
    async with state["pool"].acquire() as connection, connection.transaction():
        owner = await connection.fetchval(USER_BY_PHONE, body.phone_number)
        await connection.execute(
            RECORD_VERIFICATION,
            verification_id,
            body.phone_number,
            code_hash("login", body.phone_number, code),
            MAX_ATTEMPTS,
            now + CODE_TTL,
            now,
            request.client.host if request.client else None,
            user_agent[:512] if user_agent else None,
            request.headers.get("accept-language", "")[:35] or None,
            owner,
        )
    return {"detail": CODE_SENT, "challenge": challenge_of(verification_id)}


@router.post("/auth/verify")
async def verify(body: VerifyRequest, request: Request) -> dict[str, Any]:
    await count(AUTH_LIMIT, "auth-ip", client_network(request))
    verification_id = verification_named(body.challenge)
    if verification_id is None:
        raise HTTPException(400)
    async with state["pool"].acquire() as connection:
        record = await connection.fetchrow(VERIFICATION_BY_ID, verification_id)
        if record is None or record["target"] != body.phone_number or record["purpose"] != "login":
            raise HTTPException(400)
        if record["consumed_at"] is not None:
            raise HTTPException(400)
        # Outside the transaction: the attempt counts though the code turns out wrong.
        if await connection.fetchval(CLAIM_ATTEMPT, verification_id) is None:
            raise HTTPException(400)
        now = datetime.now(UTC)
        if record["expires_at"] <= now or not hmac.compare_digest(
            record["code_hash"], code_hash("login", body.phone_number, body.code)
        ):
            raise HTTPException(400)
        async with connection.transaction():
            if await connection.fetchval(MARK_CONSUMED, verification_id, now) is None:
                raise HTTPException(400)
            owner = await connection.fetchrow(OWNER_BY_PHONE, body.phone_number)
            if owner is None:
                raise HTTPException(400)
            if not owner["is_active"]:
                raise HTTPException(403)
            await connection.execute(SIGNED_IN, owner["id"], now)
            session_id = uuid.uuid4()
            token, _ = await start_session(connection, owner["id"], session_id, now, request)
    return token_pair(owner["id"], session_id, token, now)
