"""Validated field types shared by request schemas."""

from typing import Annotated

from pydantic import AfterValidator, Field

from app.models.user import USERNAME_MAX_LENGTH
from app.utils.phone import MAX_INPUT_LENGTH, normalize_phone
from app.utils.usernames import validate_username, validate_username_format

# International notation in (+ and country code; spaces, dots, dashes and parentheses are
# ignored), E.164 out. The pattern tells clients the shape; `phonenumbers` decides validity.
PHONE_NUMBER_PATTERN = rf"^\+[0-9 ().\-]{{4,{MAX_INPUT_LENGTH - 1}}}$"
PhoneNumber = Annotated[
    str,
    Field(
        max_length=MAX_INPUT_LENGTH,
        pattern=PHONE_NUMBER_PATTERN,
        examples=["+14155552671"],
        description="A mobile number in international notation: + and country code",
        json_schema_extra={"format": "phone"},
    ),
    AfterValidator(normalize_phone),
]
Username = Annotated[
    str,
    Field(max_length=USERNAME_MAX_LENGTH, examples=["ada.lovelace"]),
    AfterValidator(validate_username),
]
# Shaped like a username, maybe reserved or taken: what availability checks accept.
UsernameCandidate = Annotated[
    str,
    Field(max_length=USERNAME_MAX_LENGTH, examples=["ada.lovelace"]),
    AfterValidator(validate_username_format),
]
# Twilio Verify's codes have 4 to 10 digits; this service's have 6.
VerificationCode = Annotated[str, Field(pattern=r"^[0-9]{4,10}$", examples=["123456"])]
DisplayName = Annotated[str, Field(min_length=1, max_length=100)]
