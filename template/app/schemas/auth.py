"""Requests and answers of the phone sign-up and sign-in endpoints."""

from pydantic import BaseModel, EmailStr

from app.schemas.fields import DisplayName, PhoneNumber, Username, VerificationCode


class RegistrationCreate(BaseModel):
    phone_number: PhoneNumber
    username: Username
    email: EmailStr | None = None
    display_name: DisplayName | None = None


class LoginCreate(BaseModel):
    phone_number: PhoneNumber


class ResendCreate(BaseModel):
    phone_number: PhoneNumber


class VerificationCreate(BaseModel):
    phone_number: PhoneNumber
    code: VerificationCode


class CodeSentPublic(BaseModel):
    """The same answer whether or not the number has an account (no enumeration)."""

    detail: str = "If this number can receive text messages, a code is on its way."


class UsernameAvailabilityPublic(BaseModel):
    username: str
    available: bool
