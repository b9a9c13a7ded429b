"""The SMS destination policy: which countries and number types the service texts."""

from dataclasses import dataclass

import phonenumbers

from app.core.errors import DestinationNotSupportedError

# What `phonenumbers` calls the region of the non-geographic ranges (+800, +881 satellite,
# +883 international networks...): never a destination, even with SMS_ALLOWED_REGIONS=ALL.
NON_GEOGRAPHIC_REGION = "001"


@dataclass(frozen=True, slots=True)
class Destination:
    """Where an admitted text goes: its country (a metric label) and its number's prefix."""

    region: str
    prefix: str


@dataclass(frozen=True, slots=True)
class SmsDestinationPolicy:
    regions: frozenset[str] | None  # None: every region
    number_types: frozenset[int]  # phonenumbers.PhoneNumberType values
    prefix_digits: int

    def destination(self, e164: str) -> Destination:
        """The destination of an E.164 number, or DestinationNotSupportedError (422)."""
        number = phonenumbers.parse(e164, None)
        region = phonenumbers.region_code_for_number(number) or NON_GEOGRAPHIC_REGION
        if region == NON_GEOGRAPHIC_REGION or (
            self.regions is not None and region not in self.regions
        ):
            raise DestinationNotSupportedError()
        if phonenumbers.number_type(number) not in self.number_types:
            raise DestinationNotSupportedError()
        return Destination(region=region, prefix=e164.lstrip("+")[: self.prefix_digits])
