from app.integrations.phone.base import CodeVerifier, TextSender
from app.integrations.phone.console import CONSOLE_EVENT, ConsoleSender
from app.integrations.phone.messages import TextWriter
from app.models import VerificationPurpose
from tests.logs import LoggedEvents


def console() -> ConsoleSender:
    return ConsoleSender()


async def test_the_text_and_its_code_go_to_the_log_with_the_number_masked(
    logged: LoggedEvents,
) -> None:
    text = TextWriter(service="Acme", ttl_seconds=300).write(
        "+14155550123",
        VerificationPurpose.REGISTRATION,
        code="654321",
        locale="en",
        account_exists=False,
    )

    delivery = await console().send(text)

    (event,) = logged.named(CONSOLE_EVENT)
    assert event["code"] == "654321"
    assert event["phone"] == "+141******23"
    assert event["purpose"] == "registration"
    assert event["body"] == "654321 is your Acme verification code. It expires in 5 minutes."
    assert "+14155550123" not in str(event)
    assert delivery.provider_ref is None
    assert delivery.status == "logged"


def test_it_sends_texts_and_leaves_checking_codes_to_the_service() -> None:
    assert isinstance(console(), TextSender)
    assert not isinstance(console(), CodeVerifier)
