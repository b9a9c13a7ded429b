"""Phone verification codes, sessions and the limits that protect them."""

import limits
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings


class AuthSettings(BaseSettings):
    access_token_ttl_seconds: int = Field(
        default=30 * 60, gt=0, description="Lifetime of an access token (JWT)"
    )
    refresh_token_ttl_seconds: int = Field(
        default=7 * 24 * 3600, gt=0, description="Lifetime of a refresh token (opaque, rotated)"
    )
    verification_code_ttl_seconds: int = Field(
        default=10 * 60, gt=0, description="How long a verification code stays valid"
    )
    verification_max_attempts: int = Field(
        default=5, gt=0, description="Wrong codes that burn a verification"
    )
    verification_sends_per_client: str = Field(
        default="3/15 minutes",
        description="Codes sent to one phone number for one client network (limits syntax)",
    )
    verification_sends_per_number: str = Field(
        default="6/15 minutes",
        description="Codes sent to one phone number whoever asks (limits syntax)",
    )
    verification_resend_cooldown_seconds: int = Field(
        default=60, ge=0, description="Wait between two codes sent to one number and client network"
    )
    verification_checks_per_number: str = Field(
        default="4/10 minutes",
        description="Codes checked with Twilio Verify per phone number (limits syntax)",
    )
    auth_rate_limit_per_ip: str = Field(
        default="30/minute", description="Requests per client IP to /auth endpoints (limits syntax)"
    )

    @field_validator(
        "auth_rate_limit_per_ip",
        "verification_sends_per_client",
        "verification_sends_per_number",
        "verification_checks_per_number",
    )
    @classmethod
    def _is_a_rate_limit(cls, value: str) -> str:
        limits.parse(value)  # a ValueError naming the string when it is not one
        return value
