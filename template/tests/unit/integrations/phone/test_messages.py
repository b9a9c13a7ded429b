import pytest

from app.integrations.phone.messages import TEMPLATES, MessageKind, TextWriter, language_of
from app.models import VerificationPurpose

PHONE = "+14155550123"


def render(purpose: VerificationPurpose, locale: str | None = None, **options: bool) -> str:
    text = TextWriter(service="Acme", ttl_seconds=600).write(
        PHONE,
        purpose,
        code="123456",
        locale=locale,
        account_exists=options.get("account_exists", False),
    )
    assert (text.to, text.purpose, text.code) == (PHONE, purpose, "123456")
    return text.body


def test_a_registration_text_holds_the_code_the_service_and_the_lifetime() -> None:
    assert render(VerificationPurpose.REGISTRATION) == (
        "123456 is your Acme verification code. It expires in 10 minutes."
    )


def test_a_registration_for_a_known_number_says_the_account_exists() -> None:
    text = render(VerificationPurpose.LOGIN, account_exists=True)

    assert text.startswith("You already have a Acme account. 123456 is your sign-in code")


def test_a_login_text_differs_from_a_registration_text() -> None:
    assert "sign-in code" in render(VerificationPurpose.LOGIN)
    assert "sign-in code" not in render(VerificationPurpose.REGISTRATION)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("es", "es"), ("es-MX", "es"), ("fr_CA", "fr"), ("FR", "fr"), ("de", "en"), (None, "en")],
)
def test_the_language_comes_from_the_locale_with_english_as_fallback(
    locale: str | None, expected: str
) -> None:
    assert language_of(locale) == expected


def test_texts_are_written_in_the_requested_language() -> None:
    assert render(VerificationPurpose.REGISTRATION, "es-ES").startswith(
        "123456 es tu código de verificación de Acme"
    )


def test_every_language_has_every_text_with_the_code_in_it() -> None:
    for language, texts in TEMPLATES.items():
        assert set(texts) == set(MessageKind), language
        for template in texts.values():
            assert "{code}" in template
            assert "{service}" in template


def test_english_texts_fit_one_sms_segment_with_a_typical_service_name() -> None:
    for kind in MessageKind:
        text = TEMPLATES["en"][kind].format(code="123456", service="A" * 20, minutes=10)
        assert len(text) <= 160, kind


def test_there_is_no_text_message_for_email_verification() -> None:
    with pytest.raises(ValueError, match="email"):
        render(VerificationPurpose.EMAIL)
