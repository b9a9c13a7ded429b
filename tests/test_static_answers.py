"""Questions that change only non-Python files: each value renders valid files.

The matrix renders their defaults; here every other value is rendered on top of the default
answers and its files go through the same once-per-content static checks.
"""

from pathlib import Path

import pytest

from tests.combinations import STATIC_ONLY_QUESTIONS, defaults, load_questions, question_values
from tests.harness.render import jinja_leftovers, render
from tests.harness.static import validate_static_files


def _params() -> list[pytest.ParameterSet]:
    questions = load_questions()
    return [
        pytest.param(name, value, id=f"{name}-{value}")
        for name in sorted(STATIC_ONLY_QUESTIONS)
        for value in question_values(questions[name])[1:]
    ]


def test_static_only_questions_exist() -> None:
    assert STATIC_ONLY_QUESTIONS <= set(load_questions())


@pytest.mark.parametrize(("name", "value"), _params())
def test_value_renders_valid_files(
    name: str, value: object, tmp_path: Path, shared_dir: Path
) -> None:
    project = render(tmp_path / "project", {**defaults(), name: value})

    assert jinja_leftovers(project) == []
    assert validate_static_files(project, shared_dir / "static") == []


@pytest.mark.parametrize("version", question_values(load_questions()["postgresql_version"]))
def test_postgresql_version_drives_images_and_docs(version: int, tmp_path: Path) -> None:
    project = render(tmp_path / "project", {**defaults(), "postgresql_version": version})

    assert f"image: postgres:{version}-alpine" in (project / "docker-compose.yml").read_text()
    assert f"image: postgres:{version}\n" in (project / ".github/workflows/ci.yml").read_text()
    assert f"PostgreSQL {version} " in (project / "docs/deployment.md").read_text()
