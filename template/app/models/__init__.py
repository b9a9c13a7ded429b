"""The ORM models; importing this package registers every table on `Base.metadata`."""

from app.core.enums import (
    ProfileVisibility,
    RevocationReason,
    Theme,
    VerificationChannel,
    VerificationPurpose,
)
from app.models.feature_flag_override import FeatureFlagOverride
from app.models.refresh_token import RefreshToken
from app.models.user import User
from app.models.user_public import UserPublicFields
from app.models.user_settings import UserSettings
from app.models.user_settings_public import UserSettingsFields
from app.models.verification import VerificationRecord

__all__ = [
    "FeatureFlagOverride",
    "ProfileVisibility",
    "RefreshToken",
    "RevocationReason",
    "Theme",
    "User",
    "UserPublicFields",
    "UserSettings",
    "UserSettingsFields",
    "VerificationChannel",
    "VerificationPurpose",
    "VerificationRecord",
]
