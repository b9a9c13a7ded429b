import logging
from collections.abc import Iterator

import pytest

from app.core.logging import configure_logging


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    yield
    configure_logging(level="INFO", json=False)


def test_debug_logging_leaves_out_the_sqlite_driver_and_its_parameters() -> None:
    configure_logging(level="DEBUG", json=True)

    assert logging.getLogger("app").isEnabledFor(logging.DEBUG)
    assert not logging.getLogger("aiosqlite").isEnabledFor(logging.DEBUG)


def test_a_quieter_level_applies_to_the_driver_too() -> None:
    configure_logging(level="WARNING", json=True)

    assert not logging.getLogger("aiosqlite").isEnabledFor(logging.INFO)
