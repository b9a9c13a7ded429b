import pytest

from tests.phone_auth import SmsInbox


@pytest.fixture
def inbox(caplog: pytest.LogCaptureFixture) -> SmsInbox:
    return SmsInbox(caplog)
