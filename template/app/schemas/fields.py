"""Validated field types shared by request schemas."""

import re
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic.config import JsonDict

from app.utils.phone import INPUT_PATTERN, MAX_INPUT_LENGTH, normalize_phone
from app.utils.usernames import (
    USERNAME_MAX_LENGTH,
    USERNAME_MIN_LENGTH,
    USERNAME_SCHEMA_PATTERN,
    validate_username,
    validate_username_format,
)

# C0 control characters and DEL: PostgreSQL's text refuses a NUL (a 500), and the others
# hide or rewrite text in terminals and log viewers. Multi-line text keeps tab, LF and CR.
SINGLE_LINE_PATTERN = r"^[^\x00-\x1f\x7f]*$"
MULTI_LINE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


def _without_control_characters(pattern: str) -> AfterValidator:
    allowed = re.compile(pattern)

    def check(value: str) -> str:
        if not allowed.match(value):
            raise ValueError("Control characters (such as NUL) are not allowed in this field")
        return value

    return AfterValidator(check)


# Every free-text field of a request is one of these; the pattern tells clients (and
# schema-driven fuzzers) the same rule the validator applies with a readable message.
SingleLineText = Annotated[
    str,
    Field(json_schema_extra={"pattern": SINGLE_LINE_PATTERN}),
    _without_control_characters(SINGLE_LINE_PATTERN),
]
MultiLineText = Annotated[
    str,
    Field(json_schema_extra={"pattern": MULTI_LINE_PATTERN}),
    _without_control_characters(MULTI_LINE_PATTERN),
]

# International notation in (+ and country code; spaces, dots, dashes and parentheses are
# ignored), E.164 out. The schema gives clients the shape; `phonenumbers` decides validity.
PhoneNumber = Annotated[
    str,
    Field(
        max_length=MAX_INPUT_LENGTH,
        examples=["+14155552671"],
        description="A mobile number in international notation: + and country code",
        json_schema_extra={"format": "phone", "pattern": INPUT_PATTERN},
    ),
    AfterValidator(normalize_phone),
]
# What validate_username_format checks, for the schema (its own messages say which rule).
USERNAME_SCHEMA: JsonDict = {"minLength": USERNAME_MIN_LENGTH, "pattern": USERNAME_SCHEMA_PATTERN}
Username = Annotated[
    str,
    Field(
        max_length=USERNAME_MAX_LENGTH, examples=["ada.lovelace"], json_schema_extra=USERNAME_SCHEMA
    ),
    AfterValidator(validate_username),
]
# Shaped like a username, maybe reserved or taken: what availability checks accept.
UsernameCandidate = Annotated[
    str,
    Field(
        max_length=USERNAME_MAX_LENGTH, examples=["ada.lovelace"], json_schema_extra=USERNAME_SCHEMA
    ),
    AfterValidator(validate_username_format),
]
# Twilio Verify's codes have 4 to 10 digits; this service's have 6.
VerificationCode = Annotated[str, Field(pattern=r"^[0-9]{4,10}$", examples=["123456"])]
# What /auth/register, /login and /resend answer, naming the code that was sent.
CHALLENGE_EXAMPLE = "BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY"
Challenge = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{43}$", examples=[CHALLENGE_EXAMPLE])]
DisplayName = Annotated[SingleLineText, Field(min_length=1, max_length=100)]
Bio = Annotated[MultiLineText, Field(max_length=500)]
