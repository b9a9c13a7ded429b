import pytest

from app.core.errors import ExternalServiceError, ValidationFailedError
from app.integrations.breaker import CircuitBreaker
from tests.logs import LoggedEvents


class Outage(Exception):
    pass


def breaker(threshold: int = 2) -> CircuitBreaker:
    return CircuitBreaker("acme", failure_threshold=threshold, reset_seconds=60)


async def fail(circuit: CircuitBreaker, exc: Exception) -> None:
    with pytest.raises(type(exc)):
        async with circuit.guard():
            raise exc


async def test_calls_pass_through_while_the_circuit_is_closed() -> None:
    circuit = breaker()
    calls = 0

    async with circuit.guard():
        calls += 1

    assert calls == 1
    assert await circuit.state() == "closed"


async def test_repeated_failures_open_the_circuit_and_later_calls_fail_fast() -> None:
    circuit = breaker(threshold=2)
    await fail(circuit, Outage())
    await fail(circuit, Outage())
    called = False

    with pytest.raises(ExternalServiceError) as raised:
        async with circuit.guard():
            called = True

    assert not called
    assert raised.value.service == "acme"
    assert raised.value.status == 503
    assert 58 <= int(raised.value.headers["Retry-After"]) <= 60  # the circuit's open time left
    assert await circuit.state() == "opened"


async def test_a_success_resets_the_failure_count() -> None:
    circuit = breaker(threshold=2)
    await fail(circuit, Outage())
    async with circuit.guard():
        pass
    await fail(circuit, Outage())

    assert await circuit.state() == "closed"


async def test_client_errors_are_answers_of_a_working_service() -> None:
    circuit = breaker(threshold=1)

    await fail(circuit, ValidationFailedError("bad number"))

    assert await circuit.state() == "closed"


async def test_a_custom_health_rule_decides_what_counts() -> None:
    circuit = CircuitBreaker(
        "acme", failure_threshold=1, reset_seconds=60, healthy=lambda exc: isinstance(exc, Outage)
    )

    await fail(circuit, Outage())
    assert await circuit.state() == "closed"
    await fail(circuit, ValueError())
    assert await circuit.state() == "opened"


async def test_opening_the_circuit_is_logged(logged: LoggedEvents) -> None:
    circuit = breaker(threshold=1)

    await fail(circuit, Outage())

    (event,) = logged.named("circuit_breaker_state_changed")
    assert (event["service"], event["state"], event["level"]) == ("acme", "opened", "warning")
