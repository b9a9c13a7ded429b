"""docs/openapi.json is the schema the code defines, so reviewers see API changes as a diff."""

from pathlib import Path

import pytest

from tools.openapi_snapshot import SNAPSHOT, current_schema_text, main, snapshot_diff


@pytest.fixture(scope="module")
def current() -> str:
    return current_schema_text()


def test_the_committed_schema_is_current(current: str) -> None:
    difference = snapshot_diff(SNAPSHOT.read_text(encoding="utf-8"), current)

    assert not difference, f"docs/openapi.json is stale: run `make openapi`\n{difference}"


def test_the_environment_does_not_change_the_schema(
    monkeypatch: pytest.MonkeyPatch, current: str
) -> None:
    monkeypatch.setenv("PROJECT_NAME", "Another Name")
    monkeypatch.setenv("APP_ENV", "production")

    assert current_schema_text() == current


def test_check_prints_a_readable_diff_and_fails_when_stale(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    current: str,
) -> None:
    stale = tmp_path / "openapi.json"
    stale.write_text(current.replace('"summary": "', '"summary": "Old ', 1))
    monkeypatch.setattr("tools.openapi_snapshot.SNAPSHOT", stale)
    # The schema is built once above; what is tested here is how --check compares and tells.
    monkeypatch.setattr("tools.openapi_snapshot.current_schema_text", lambda: current)

    assert main(["--check"]) == 1
    removed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("-")]
    assert any('"summary": "Old ' in line for line in removed)
    assert main([]) == 0
    assert main(["--check"]) == 0
