"""Requests and answers of the phone sign-up and sign-in endpoints."""

from pydantic import BaseModel, ConfigDict, EmailStr

from app.schemas.fields import (
    CHALLENGE_EXAMPLE,
    Challenge,
    DisplayName,
    PhoneNumber,
    Username,
    VerificationCode,
)

# Request examples (the docs show them; tests check that each one is valid).
PHONE_EXAMPLE = "+14155552671"


class RegistrationCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "phone_number": PHONE_EXAMPLE,
                    "username": "ada.lovelace",
                    "email": "ada@example.com",
                    "display_name": "Ada Lovelace",
                }
            ]
        }
    )

    phone_number: PhoneNumber
    username: Username
    email: EmailStr | None = None
    display_name: DisplayName | None = None


class LoginCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"phone_number": PHONE_EXAMPLE}]})

    phone_number: PhoneNumber


class ResendCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"phone_number": PHONE_EXAMPLE, "challenge": CHALLENGE_EXAMPLE}]
        }
    )

    phone_number: PhoneNumber
    challenge: Challenge


class VerificationCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"phone_number": PHONE_EXAMPLE, "challenge": CHALLENGE_EXAMPLE, "code": "123456"}
            ]
        }
    )

    phone_number: PhoneNumber
    challenge: Challenge
    code: VerificationCode


class CodeSentPublic(BaseModel):
    """The same answer whether or not the number has an account (no enumeration).

    `challenge` names the code that was sent: /auth/verify and /auth/resend take it back, and
    a code is checked only for the client that holds its challenge.
    """

    detail: str = "If this number can receive text messages, a code is on its way."
    challenge: Challenge


class UsernameAvailabilityPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"username": "ada.lovelace", "available": True}]}
    )

    username: str
    available: bool
