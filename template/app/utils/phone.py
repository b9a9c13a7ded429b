"""Phone numbers: parsed and validated with `phonenumbers`, stored and compared as E.164."""

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

# Numbers that can receive an SMS; landlines, toll-free and premium numbers cannot.
SMS_CAPABLE_TYPES = frozenset(
    {
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
        PhoneNumberType.VOIP,
        PhoneNumberType.PERSONAL_NUMBER,
    }
)
# Longer than any number with its formatting; stops the parser spending time on junk.
MAX_INPUT_LENGTH = 32
# The notations accepted: + and country code, digits, and spaces, dots, dashes or parentheses
# between them (published in the OpenAPI schema; `phonenumbers` then decides validity).
INPUT_PATTERN = r"^\+[0-9 ().\-]{4," + str(MAX_INPUT_LENGTH - 1) + "}$"
_INPUT = re.compile(INPUT_PATTERN)


def normalize_phone(raw: str) -> str:
    """The E.164 form of an international number (`+` and country code required).

    Raises ValueError with a message fit for the client when the number is not one an SMS
    can reach.
    """
    if len(raw) > MAX_INPUT_LENGTH:
        raise ValueError("Not a phone number")
    if _INPUT.fullmatch(raw) is None:
        raise ValueError("Not a phone number in international format (+ and country code)")
    try:
        number = phonenumbers.parse(raw, None)
    except NumberParseException as exc:
        raise ValueError("Not a phone number in international format (+ and country code)") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError("Not a valid phone number")
    if phonenumbers.number_type(number) not in SMS_CAPABLE_TYPES:
        raise ValueError("This number cannot receive text messages")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """Enough of a number to tell log lines apart, not enough to identify anyone."""
    if len(e164) <= 6:
        return "*" * len(e164)
    return e164[:4] + "*" * (len(e164) - 6) + e164[-2:]
