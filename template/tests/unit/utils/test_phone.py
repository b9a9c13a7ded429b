import pytest

from app.utils.phone import mask_phone, normalize_phone


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("+14155552671", "+14155552671"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+49 151 12345678", "+4915112345678"),
    ],
)
def test_normalize_phone_gives_e164(raw: str, e164: str) -> None:
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("4155552671", "international format"),  # no country code
        ("not a number", "international format"),
        ("+1555000000", "Not a valid phone number"),  # too short for its plan
        ("+15550000001", "Not a valid phone number"),  # 555 is no US area code
        ("+442071838750", "cannot receive text messages"),  # a London landline
        ("+18005551234", "cannot receive text messages"),  # toll-free
        ("+1" + "4" * 40, "Not a phone number"),
    ],
)
def test_normalize_phone_refuses_what_an_sms_cannot_reach(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalize_phone(raw)


def test_mask_phone_keeps_the_country_code_and_the_last_two_digits() -> None:
    assert mask_phone("+14155552671") == "+141******71"


def test_mask_phone_hides_all_of_a_short_value() -> None:
    assert mask_phone("+12345") == "******"
