"""Where the service sends texts, and how many it sends: every text costs its owner money."""

from collections.abc import Iterator

import phonenumbers
from phonenumbers import PhoneNumberType
from pydantic import Field, field_validator

from app.core.config.app import AppSettings
from app.core.config.checks import SettingProblem, settings_check

# The deliberate value of SMS_ALLOWED_REGIONS that lets every country through.
ALL_REGIONS = "ALL"
# Development and tests, when SMS_ALLOWED_REGIONS is unset: the countries of the numbers the
# docs and tests use. Production has no default: it must say where it texts.
DEVELOPMENT_REGIONS = frozenset({"US", "CA", "GB", "DE", "FR"})
# Number types a text may go to; premium-rate, shared-cost, UAN, pager, personal numbers
# and the non-geographic ranges (+881 satellite, +883 international networks) never.
TEXTABLE_TYPES: dict[str, int] = {
    "mobile": PhoneNumberType.MOBILE,
    "fixed_line_or_mobile": PhoneNumberType.FIXED_LINE_OR_MOBILE,
    "voip": PhoneNumberType.VOIP,
}
# What Twilio Lookup's line type intelligence must answer for each allowed number type. A
# fixed_line_or_mobile number is texted only once Lookup says it is a mobile: a landline
# cannot receive a text, and VoIP lines pass only where voip itself is allowed.
LOOKUP_LINE_TYPES: dict[str, frozenset[str]] = {
    "mobile": frozenset({"mobile"}),
    "fixed_line_or_mobile": frozenset({"mobile"}),
    "voip": frozenset({"fixedVoip", "nonFixedVoip"}),
}


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


# Builds on AppSettings: whether the regions are required depends on APP_ENV.
class SmsSettings(AppSettings):
    sms_allowed_regions: str | None = Field(
        default=None,
        description="ISO 3166 regions texts may go to, comma-separated (US,GB), or ALL; "
        "required in production",
    )
    sms_allowed_number_types: str = Field(
        default="mobile,fixed_line_or_mobile",
        description="Number types texts may go to: mobile, fixed_line_or_mobile, voip",
    )
    sms_budget_per_client_per_hour: int = Field(
        default=10, gt=0, description="Texts one client network may cause per hour"
    )
    sms_budget_per_prefix_per_hour: int = Field(
        default=20, gt=0, description="Texts to numbers sharing a prefix per hour"
    )
    sms_budget_prefix_digits: int = Field(
        default=8, ge=4, le=14, description="Digits of the E.164 number that make its prefix"
    )
    sms_budget_per_country_per_hour: int = Field(
        default=100, gt=0, description="Texts to one country per hour"
    )
    sms_budget_global_per_hour: int = Field(
        default=500, gt=0, description="Texts the whole service sends per hour; past it, 503"
    )

    sms_lookup_line_type: bool = Field(
        default=False,
        description="Ask Twilio Lookup (line type intelligence, paid per lookup) for the line "
        "type of a number before texting it; needs PHONE_VERIFIER=twilio",
    )
    sms_lookup_fail_open: bool = Field(
        default=True,
        description="When Lookup fails or cannot tell the line type: true texts anyway, "
        "false refuses with 503",
    )
    sms_lookup_cache_seconds: int = Field(
        default=30 * 24 * 3600, gt=0, description="How long one number's line type is reused"
    )

    @field_validator("sms_allowed_regions", mode="before")
    @classmethod
    def _empty_regions_mean_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("sms_allowed_regions")
    @classmethod
    def _known_regions(cls, value: str | None) -> str | None:
        if value is None or value.strip().upper() == ALL_REGIONS:
            return None if value is None else ALL_REGIONS
        regions = [name.upper() for name in _names(value)]
        unknown = sorted(set(regions) - phonenumbers.SUPPORTED_REGIONS)
        if not regions or unknown:
            raise ValueError("takes ISO 3166 region codes (US,GB) or ALL")
        return ",".join(sorted(set(regions)))

    @field_validator("sms_allowed_number_types")
    @classmethod
    def _textable_types(cls, value: str) -> str:
        names = [name.lower() for name in _names(value)]
        refused = sorted(set(names) - TEXTABLE_TYPES.keys())
        if not names or refused:
            raise ValueError(f"takes {', '.join(TEXTABLE_TYPES)} (comma-separated)")
        return ",".join(names)

    @settings_check
    def _require_sms_regions_in_production(self) -> Iterator[SettingProblem]:
        if self.app_env == "production" and self.sms_allowed_regions is None:
            yield SettingProblem(
                "SMS_ALLOWED_REGIONS",
                "required in production: the countries the service texts (US,GB,...), or ALL",
            )

    def sms_regions(self) -> frozenset[str] | None:
        """The allowed regions; None allows every region."""
        if self.sms_allowed_regions is None:
            return DEVELOPMENT_REGIONS
        if self.sms_allowed_regions == ALL_REGIONS:
            return None
        return frozenset(_names(self.sms_allowed_regions))

    def sms_number_types(self) -> frozenset[int]:
        """`phonenumbers.PhoneNumberType` values (plain ints)."""
        return frozenset(TEXTABLE_TYPES[name] for name in _names(self.sms_allowed_number_types))

    def sms_lookup_line_types(self) -> frozenset[str]:
        """The Twilio Lookup line types a text may go to."""
        names = _names(self.sms_allowed_number_types)
        return frozenset().union(*(LOOKUP_LINE_TYPES[name] for name in names))
