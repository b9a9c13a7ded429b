"""Every answer combination renders, lints clean, type-checks and passes its own tests."""

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.combinations import Answers, defaults, iter_matrix
from tests.harness.checks import ProjectChecker
from tests.harness.preload import PreloadServer
from tests.harness.render import jinja_leftovers, mirror, render
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
    rendered: Path,
    *,
    coverage: bool,
    real_uv: bool = False,
) -> None:
    """Render into `rendered`, then check it in the worker's folder (`checker.project`)."""
    with checker.clock.stage("render"):
        render(rendered, answers)
        assert jinja_leftovers(rendered) == []
        mirror(rendered, checker.project)
    with checker.clock.stage("static files"):
        assert validate_static_files(rendered, shared_dir / "static") == []
    checker.pre_commit(shared_dir, real_uv=real_uv)
    checker.dependencies()
    checker.docs_site(shared_dir)
    checker.test_suite(coverage=coverage)


def warm_project(shared_dir: Path, worker_id: str, python: str) -> Path:
    """The folder a worker checks its combinations in, one after the other (see `mirror`)."""
    return shared_dir / f"warm-{worker_id}-{python}" / "project"


@contextmanager
def kept_on_failure(
    checker: ProjectChecker, tmp_path: Path, record_property: Callable[[str, object], None]
) -> Iterator[None]:
    """Report the stages; on failure copy the project as checked into the test's tmp_path,
    since the worker's next combination rewrites it."""
    try:
        yield
    except BaseException:
        shutil.copytree(
            checker.project,
            tmp_path / "project-as-checked",
            ignore=shutil.ignore_patterns("__pycache__"),
            dirs_exist_ok=True,
        )
        raise
    finally:
        record_property("stages", checker.clock.stages)


@pytest.mark.parametrize(("answers", "coverage"), _params())
def test_combination(
    answers: Answers,
    coverage: bool,
    tmp_path: Path,
    superset_environments: dict[str, Path],
    mypy_cache: Path,
    shared_dir: Path,
    worker_id: str,
    preload_server: PreloadServer,
    record_property: Callable[[str, object], None],
) -> None:
    checker = ProjectChecker(
        warm_project(shared_dir, worker_id, "3.12"),
        superset_environments["3.12"],
        mypy_cache,
        preload=preload_server,
    )
    with kept_on_failure(checker, tmp_path, record_property):
        check_combination(checker, answers, shared_dir, tmp_path / "render", coverage=coverage)


@pytest.mark.matrix
@pytest.mark.quick
def test_defaults_on_python_313(
    tmp_path: Path,
    superset_environments: dict[str, Path],
    mypy_cache: Path,
    shared_dir: Path,
    worker_id: str,
    record_property: Callable[[str, object], None],
) -> None:
    cache = mypy_cache.with_name(f"{mypy_cache.name}-py313")
    project = warm_project(shared_dir, worker_id, "3.13")
    checker = ProjectChecker(project, superset_environments["3.13"], cache)
    # Its hooks run through the real `uv run`, as on a developer's machine (offline).
    with kept_on_failure(checker, tmp_path, record_property):
        rendered = tmp_path / "render"
        check_combination(checker, defaults(), shared_dir, rendered, coverage=True, real_uv=True)
