"""`create_app` pauses the garbage collector only while it builds the app: a process left
without it would keep every reference cycle its requests ever made."""

import gc
from collections.abc import Iterator

import pytest

from app.core.config import Settings
from app.main import create_app


@pytest.fixture
def collector_state() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    if was_enabled:
        gc.enable()


@pytest.mark.usefixtures("collector_state")
@pytest.mark.parametrize("enabled", [True, False], ids=["collecting", "paused-by-the-caller"])
def test_the_collector_is_left_as_it_was_found(settings: Settings, enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()

    create_app(settings)

    assert gc.isenabled() is enabled
