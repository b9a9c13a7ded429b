"""Every answer combination renders, lints clean, type-checks and passes its own tests."""

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.combinations import Answers, defaults, iter_matrix
from tests.harness.checks import ProjectChecker
from tests.harness.render import jinja_leftovers, render
from tests.harness.static import validate_static_files


def _params() -> list[pytest.ParameterSet]:
    params = []
    for ident, answers, quick, coverage in iter_matrix():
        marks = [pytest.mark.matrix, *([pytest.mark.quick] if quick else [])]
        params.append(pytest.param(answers, coverage, id=ident, marks=marks))
    return params


def check_combination(
    checker: ProjectChecker,
    answers: Answers,
    shared_dir: Path,
    *,
    coverage: bool,
    real_uv: bool = False,
) -> None:
    with checker.clock.stage("render"):
        render(checker.project, answers)
        assert jinja_leftovers(checker.project) == []
    with checker.clock.stage("static files"):
        assert validate_static_files(checker.project, shared_dir / "static") == []
    checker.pre_commit(shared_dir, real_uv=real_uv)
    checker.dependencies()
    checker.docs_site(shared_dir)
    checker.test_suite(coverage=coverage)


@pytest.mark.parametrize(("answers", "coverage"), _params())
def test_combination(
    answers: Answers,
    coverage: bool,
    tmp_path: Path,
    superset_environments: dict[str, Path],
    mypy_cache: Path,
    shared_dir: Path,
    record_property: Callable[[str, object], None],
) -> None:
    checker = ProjectChecker(tmp_path / "project", superset_environments["3.12"], mypy_cache)
    try:
        check_combination(checker, answers, shared_dir, coverage=coverage)
    finally:
        record_property("stages", checker.clock.stages)


@pytest.mark.matrix
@pytest.mark.quick
def test_defaults_on_python_313(
    tmp_path: Path,
    superset_environments: dict[str, Path],
    mypy_cache: Path,
    shared_dir: Path,
    record_property: Callable[[str, object], None],
) -> None:
    cache = mypy_cache.with_name(f"{mypy_cache.name}-py313")
    checker = ProjectChecker(tmp_path / "project", superset_environments["3.13"], cache)
    # Its hooks run through the real `uv run`, as on a developer's machine (offline).
    try:
        check_combination(checker, defaults(), shared_dir, coverage=True, real_uv=True)
    finally:
        record_property("stages", checker.clock.stages)
