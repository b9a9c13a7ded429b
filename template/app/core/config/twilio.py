"""Credentials of the Twilio account that verifies phone numbers."""

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings


class TwilioSettings(BaseSettings):
    twilio_account_sid: str = Field(default="", description="Twilio account SID (AC...)")
    twilio_auth_token: SecretStr = Field(
        default=SecretStr(""), description="Twilio auth token; also verifies webhook signatures"
    )
