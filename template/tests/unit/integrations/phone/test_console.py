import pytest

from app.integrations.phone.console import CONSOLE_EVENT, ConsoleVerifier
from app.models import VerificationPurpose
from tests.logs import LoggedEvents


def console() -> ConsoleVerifier:
    return ConsoleVerifier(service="Acme", ttl_seconds=300)


async def test_the_text_and_its_code_go_to_the_log_with_the_number_masked(
    logged: LoggedEvents,
) -> None:
    delivery = await console().send(
        "+14155550123",
        VerificationPurpose.REGISTRATION,
        code="654321",
        locale="en",
        account_exists=False,
    )

    (event,) = logged.named(CONSOLE_EVENT)
    assert event["code"] == "654321"
    assert event["phone"] == "+141******23"
    assert event["purpose"] == "registration"
    assert event["body"] == "654321 is your Acme verification code. It expires in 5 minutes."
    assert "+14155550123" not in str(event)
    assert delivery.provider_ref is None
    assert delivery.status == "logged"


async def test_it_generates_codes_here_so_it_needs_one() -> None:
    verifier = console()

    assert verifier.generates_codes is True
    with pytest.raises(ValueError, match="own codes"):
        await verifier.send(
            "+14155550123", VerificationPurpose.LOGIN, code=None, locale=None, account_exists=True
        )


async def test_checking_codes_is_the_services_job() -> None:
    with pytest.raises(TypeError):
        await console().check("+14155550123", "123456")
