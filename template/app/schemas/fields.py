"""Validated field types shared by request schemas."""

from typing import Annotated

from pydantic import AfterValidator, Field

from app.models.user import USERNAME_MAX_LENGTH
from app.utils.phone import MAX_INPUT_LENGTH, normalize_phone
from app.utils.usernames import validate_username, validate_username_format

# Any international notation in, E.164 out.
PhoneNumber = Annotated[
    str,
    Field(max_length=MAX_INPUT_LENGTH, examples=["+14155552671"]),
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
# What /auth/register, /login and /resend answer, naming the code that was sent.
CHALLENGE_EXAMPLE = "BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY"
Challenge = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{43}$", examples=[CHALLENGE_EXAMPLE])]
DisplayName = Annotated[str, Field(min_length=1, max_length=100)]
