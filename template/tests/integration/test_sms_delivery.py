"""Sending verification texts off the request path, and the record each send leaves."""

import json
import uuid
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.state import resources_of
from app.core.background import BackgroundJobs
from app.core.business_metrics import NO_BUSINESS_METRICS, BusinessMetrics, NoBusinessMetrics
from app.core.config import Settings
from app.core.errors import ExternalServiceError
from app.db.session import SessionFactory
from app.db.types import utcnow
from app.integrations.phone.base import CodeVerifier, Delivery, PhoneProvider, TextMessage
from app.integrations.phone.console import ConsoleSender
from app.integrations.phone.factory import create_phone_provider
from app.integrations.phone.messages import TextWriter
from app.models import VerificationPurpose, VerificationRecord
from app.services.sms.delivery import SmsDelivery
from app.services.sms.dispatch import InProcessSmsDispatcher
from app.services.sms.job import SmsJob
from app.services.sms.retry import RetryPolicy
from tests.factories import VerificationRecordFactory
from tests.twilio_api import (
    MESSAGE_SID,
    VERIFICATION_SID,
    TwilioApi,
    message_created,
    twilio_error,
    twilio_settings,
    verification,
)


@pytest.fixture
async def record(session: AsyncSession) -> VerificationRecord:
    row = VerificationRecordFactory.build(target="+14155550123")
    session.add(row)
    await session.commit()
    return row


# The tries a test's delivery makes: one, unless it says otherwise.
NO_RETRIES = RetryPolicy([])


def sms_delivery(
    provider: PhoneProvider,
    session_factory: SessionFactory,
    retry: RetryPolicy = NO_RETRIES,
    metrics: BusinessMetrics = NO_BUSINESS_METRICS,
) -> SmsDelivery:
    texts = TextWriter(service="Acme", ttl_seconds=600)
    return SmsDelivery(provider, session_factory, retry=retry, texts=texts, metrics=metrics)


def console() -> ConsoleSender:
    return ConsoleSender()


def job_for(row: VerificationRecord, verifier: PhoneProvider) -> SmsJob:
    return SmsJob(
        verification_id=row.id,
        to=row.target,
        purpose=VerificationPurpose.REGISTRATION,
        code=None if isinstance(verifier, CodeVerifier) else "123456",
        locale="en",
        account_exists=False,
        expires_at=row.expires_at,
    )


def twilio(settings: Settings, api: TwilioApi) -> PhoneProvider:
    return create_phone_provider(
        twilio_settings(settings, circuit_breaker_failure_threshold=1), api.http_client()
    )


async def reloaded(session: AsyncSession, row: VerificationRecord) -> VerificationRecord:
    await session.refresh(row)
    return row


async def test_a_console_send_is_recorded(
    session: AsyncSession, session_factory: SessionFactory, record: VerificationRecord
) -> None:
    status = await sms_delivery(console(), session_factory)(job_for(record, console()))

    row = await reloaded(session, record)
    assert status == row.delivery_status == "logged"
    assert row.delivery_status_at is not None
    assert row.provider_ref is None


class Outbox:
    """A text sender that keeps the texts it is given."""

    name = "outbox"

    def __init__(self) -> None:
        self.sent: list[TextMessage] = []

    async def send(self, text: TextMessage) -> Delivery:
        self.sent.append(text)
        return Delivery(provider_ref=None, status="accepted")


async def test_the_delivery_writes_the_text_and_the_sender_only_carries_it(
    session_factory: SessionFactory, record: VerificationRecord
) -> None:
    outbox = Outbox()
    job = replace(
        job_for(record, outbox),
        purpose=VerificationPurpose.LOGIN,
        locale="es-MX",
        account_exists=True,
    )

    await sms_delivery(outbox, session_factory)(job)

    (text,) = outbox.sent
    assert (text.to, text.purpose, text.code) == (record.target, job.purpose, "123456")
    assert text.body == "Ya tienes una cuenta de Acme. 123456 es tu código de acceso (10 minutos)."


async def test_twilios_reference_is_recorded_for_status_callbacks(
    settings: Settings,
    session: AsyncSession,
    session_factory: SessionFactory,
    record: VerificationRecord,
) -> None:
    api = TwilioApi()
    verifier = twilio(settings, api)
    api.answer(verification("pending") if isinstance(verifier, CodeVerifier) else message_created())

    await sms_delivery(verifier, session_factory)(job_for(record, verifier))

    row = await reloaded(session, record)
    assert row.provider_ref == (
        VERIFICATION_SID if isinstance(verifier, CodeVerifier) else MESSAGE_SID
    )
    assert row.delivery_status in {"queued", "pending"}
    assert row.delivery_error_code is None


async def test_a_refused_send_is_recorded_as_failed_with_twilios_code(
    settings: Settings,
    session: AsyncSession,
    session_factory: SessionFactory,
    record: VerificationRecord,
) -> None:
    api = TwilioApi(twilio_error(400, 21612, "The 'To' number is not reachable"))
    verifier = twilio(settings, api)

    status = await sms_delivery(verifier, session_factory)(job_for(record, verifier))

    row = await reloaded(session, record)
    assert status == row.delivery_status == "failed"
    assert row.delivery_error_code == "21612"


async def test_an_outage_is_recorded_unless_the_caller_retries(
    settings: Settings,
    session: AsyncSession,
    session_factory: SessionFactory,
    record: VerificationRecord,
) -> None:
    api = TwilioApi(httpx.ConnectError("refused"))
    verifier = twilio(settings, api)
    delivery = sms_delivery(verifier, session_factory)

    with pytest.raises(ExternalServiceError):
        await delivery(job_for(record, verifier), raise_outages=True)
    assert (await reloaded(session, record)).delivery_status is None

    # The circuit is open now: the last try fails fast and is recorded.
    await delivery(job_for(record, verifier))
    row = await reloaded(session, record)
    assert row.delivery_status == "failed"
    assert row.delivery_error_code is None
    assert len(api.requests) == 1


async def test_a_job_whose_verification_is_gone_is_dropped(
    session_factory: SessionFactory, record: VerificationRecord
) -> None:
    orphan = replace(job_for(record, console()), verification_id=uuid.uuid4())

    assert await sms_delivery(console(), session_factory)(orphan) == "logged"


def test_a_job_survives_a_json_round_trip() -> None:
    job = SmsJob(
        verification_id=uuid.uuid4(),
        to="+14155550123",
        purpose=VerificationPurpose.LOGIN,
        code=None,
        locale=None,
        account_exists=True,
        expires_at=utcnow(),
    )

    assert SmsJob.from_payload(json.loads(json.dumps(job.to_payload()))) == job


def test_a_job_queued_by_the_previous_release_is_read() -> None:
    """Its destination was `phone`: a worker updated while jobs wait still sends them."""
    job = SmsJob(
        verification_id=uuid.uuid4(),
        to="+14155550123",
        purpose=VerificationPurpose.LOGIN,
        code="123456",
        locale="en",
        account_exists=False,
        expires_at=utcnow(),
    )
    payload = job.to_payload()
    payload["phone"] = payload.pop("to")

    assert SmsJob.from_payload(payload) == job


def in_process(
    verifier: PhoneProvider,
    session_factory: SessionFactory,
    jobs: BackgroundJobs,
    retry_delays_seconds: list[float] | None = None,
) -> InProcessSmsDispatcher:
    delays = [0.01, 0.02] if retry_delays_seconds is None else retry_delays_seconds
    delivery = sms_delivery(verifier, session_factory, RetryPolicy(delays))
    return InProcessSmsDispatcher(jobs, delivery)


async def test_the_in_process_dispatcher_sends_and_records(
    session: AsyncSession, session_factory: SessionFactory, record: VerificationRecord
) -> None:
    async with BackgroundJobs() as jobs:
        await in_process(console(), session_factory, jobs).dispatch(job_for(record, console()))
        await jobs.wait()

    assert (await reloaded(session, record)).delivery_status == "logged"


@pytest.mark.usefixtures("structured_logging")
async def test_in_process_sends_retry_an_outage_and_log_each_try(
    settings: Settings,
    session: AsyncSession,
    session_factory: SessionFactory,
    record: VerificationRecord,
    caplog: pytest.LogCaptureFixture,
) -> None:
    api = TwilioApi(twilio_error(503, 20503, "Service unavailable"), httpx.ConnectError("down"))
    verifier = create_phone_provider(twilio_settings(settings), api.http_client())
    api.answer(verification("pending") if isinstance(verifier, CodeVerifier) else message_created())

    async with BackgroundJobs() as jobs:
        await in_process(verifier, session_factory, jobs).dispatch(job_for(record, verifier))
        await jobs.wait()

    assert len(api.requests) == 3
    events = [entry.msg for entry in caplog.records if isinstance(entry.msg, dict)]
    retries = [event for event in events if event["event"] == "sms_send_retry"]
    assert [(log["attempt"], log["retry_in_seconds"]) for log in retries] == [(1, 0.01), (2, 0.02)]
    assert (await reloaded(session, record)).delivery_status in {"queued", "pending"}


async def test_in_process_retries_are_bounded(
    settings: Settings,
    session: AsyncSession,
    session_factory: SessionFactory,
    record: VerificationRecord,
) -> None:
    api = TwilioApi(*[httpx.ConnectError("down")] * 3)
    verifier = create_phone_provider(twilio_settings(settings), api.http_client())

    async with BackgroundJobs() as jobs:
        await in_process(verifier, session_factory, jobs).dispatch(job_for(record, verifier))
        await jobs.wait()

    assert len(api.requests) == 3  # two retries, then the outage is recorded
    assert (await reloaded(session, record)).delivery_status == "failed"


async def test_in_process_retries_stop_when_the_code_would_expire(
    settings: Settings,
    session: AsyncSession,
    session_factory: SessionFactory,
    record: VerificationRecord,
) -> None:
    api = TwilioApi(httpx.ConnectError("down"))
    verifier = create_phone_provider(twilio_settings(settings), api.http_client())
    expiring = replace(job_for(record, verifier), expires_at=utcnow() + timedelta(seconds=1))

    async with BackgroundJobs() as jobs:
        await in_process(verifier, session_factory, jobs, [5.0]).dispatch(expiring)
        await jobs.wait()

    assert len(api.requests) == 1
    assert (await reloaded(session, record)).delivery_status == "failed"


async def test_a_stopping_application_cancels_in_process_retries(
    settings: Settings,
    session: AsyncSession,
    session_factory: SessionFactory,
    record: VerificationRecord,
) -> None:
    api = TwilioApi(httpx.ConnectError("down"))
    verifier = create_phone_provider(twilio_settings(settings), api.http_client())

    async with BackgroundJobs() as jobs:
        dispatcher = in_process(verifier, session_factory, jobs, [60.0])
        await dispatcher.dispatch(job_for(record, verifier))  # the first try fails; a retry waits
    # Leaving the block (the lifespan's end) cancelled the minute's wait: no second try.

    assert len(api.requests) == 1
    assert (await reloaded(session, record)).delivery_status == "retrying"


async def test_without_a_broker_texts_are_sent_in_process(app: FastAPI) -> None:
    assert isinstance(resources_of(app).sms, InProcessSmsDispatcher)


class ProviderRefusals(NoBusinessMetrics):
    def __init__(self) -> None:
        self.codes: list[str] = []

    def sms_provider_refused(self, code: str) -> None:
        self.codes.append(code)


@pytest.mark.parametrize(
    "code",
    [21408, 21610, 21612, 60410, 60605],
    ids=["region-not-enabled", "stop", "unreachable", "fraud-guard", "geo-permission"],
)
async def test_a_provider_refusal_is_counted_and_never_retried(
    settings: Settings,
    session: AsyncSession,
    session_factory: SessionFactory,
    record: VerificationRecord,
    code: int,
) -> None:
    # One answer only: a retry would reach the fake with none left and fail the test.
    api = TwilioApi(twilio_error(400, code, "Twilio refuses this destination"))
    verifier = create_phone_provider(twilio_settings(settings), api.http_client())
    metrics = ProviderRefusals()
    delivery = sms_delivery(verifier, session_factory, RetryPolicy([0.01, 0.02]), metrics)

    async with BackgroundJobs() as jobs:
        await InProcessSmsDispatcher(jobs, delivery).dispatch(job_for(record, verifier))
        await jobs.wait()

    assert len(api.requests) == 1
    assert metrics.codes == [str(code)]
    row = await reloaded(session, record)
    assert (row.delivery_status, row.delivery_error_code) == ("failed", str(code))
