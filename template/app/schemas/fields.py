"""Validated field types shared by request schemas."""

from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic.config import JsonDict

from app.models.user import USERNAME_MAX_LENGTH
from app.utils.phone import INPUT_PATTERN, MAX_INPUT_LENGTH, normalize_phone
from app.utils.usernames import (
    USERNAME_MIN_LENGTH,
    USERNAME_SCHEMA_PATTERN,
    validate_username,
    validate_username_format,
)

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
DisplayName = Annotated[str, Field(min_length=1, max_length=100)]
