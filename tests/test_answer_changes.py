"""Changing an answer: `copier update -d` adds and removes the feature's files and
dependencies and keeps the team's edits; `copier recopy` renders afresh over the project and
deletes nothing (docs/updating.md says which to use)."""

from collections.abc import Callable
from pathlib import Path

from copier import run_recopy, run_update

from tests.harness.checks import ProjectChecker
from tests.harness.gitrepo import git
from tests.harness.releases import release_repo
from tests.harness.render import render
from tests.harness.team_edits import (
    ENDPOINT,
    SETTINGS,
    apply_team_edits,
    assert_team_edits_survive,
)
from tests.test_versions import (
    lint_and_types,
    problems,
    render_at,
    rewrite_openapi_snapshot,
    tree,
)

TURNED_OFF = {"worker": "none", "prometheus": False}
FEATURE_FILES = ("app/tasks/celery_app.py", "app/core/metrics.py")
FEATURE_DEPENDENCIES = ('"celery[redis]', '"prometheus-client')


def edited_project(tmp_path: Path) -> Path:
    repo = release_repo(tmp_path / "template", [])
    git(repo, "tag", "9.0.0")
    project = render_at(repo, tmp_path / "project", "9.0.0")
    apply_team_edits(project)
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "--message", "Team edits")
    return project


def test_update_with_a_changed_answer_removes_the_feature(
    tmp_path: Path,
    superset_environments: dict[str, Path],
    mypy_cache: Path,
    record_property: Callable[[str, object], None],
) -> None:
    project = edited_project(tmp_path)
    checker = ProjectChecker(project, superset_environments["3.12"], mypy_cache)

    run_update(str(project), data=TURNED_OFF, defaults=True, overwrite=True, quiet=True)

    assert problems(project) == []
    assert_team_edits_survive(project)
    assert not any((project / name).exists() for name in FEATURE_FILES)
    pyproject = (project / "pyproject.toml").read_text()
    assert not any(dependency in pyproject for dependency in FEATURE_DEPENDENCIES)
    fresh = render(tmp_path / "fresh", TURNED_OFF)
    apply_team_edits(fresh, env=False)
    updated, expected = tree(project), tree(fresh)
    for name in (".env", ".copier-answers.yml"):
        updated.pop(name), expected.pop(name)
    assert updated == expected  # the feature's files went, nothing else changed
    try:
        rewrite_openapi_snapshot(checker)
        lint_and_types(checker)
        checker.test_suite(coverage=False)
    finally:
        record_property("stages", checker.clock.stages)
    # ...and back on: the files and dependencies return.
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "--message", "Features off")
    run_update(
        str(project),
        data={"worker": "celery", "prometheus": True},
        defaults=True,
        overwrite=True,
        quiet=True,
    )
    assert all((project / name).exists() for name in FEATURE_FILES)
    pyproject = (project / "pyproject.toml").read_text()
    assert all(dependency in pyproject for dependency in FEATURE_DEPENDENCIES)
    assert_team_edits_survive(project)


def test_recopy_renders_afresh_and_deletes_nothing(
    tmp_path: Path, superset_environments: dict[str, Path], mypy_cache: Path
) -> None:
    project = edited_project(tmp_path)
    before = set(tree(project))

    run_recopy(str(project), data=TURNED_OFF, defaults=True, overwrite=True, quiet=True)

    fresh = tree(render(tmp_path / "fresh", TURNED_OFF))
    recopied = tree(project)
    # Recopy overwrites every template file with the fresh render: the team's edits *inside*
    # template files (README section, dependency line) are gone, unlike with `update`...
    assert recopied["README.md"] == fresh["README.md"]
    assert recopied["pyproject.toml"] == fresh["pyproject.toml"]
    # ...while files the template does not render, and _skip_if_exists files, stay.
    assert (project / ENDPOINT).exists() and (project / SETTINGS).exists()
    assert recopied[".env"].endswith(b"LOG_LEVEL=DEBUG\n")
    # It deletes nothing: the switched-off features' files stay until the team removes them.
    stale = sorted(before - set(fresh) - {ENDPOINT, SETTINGS})
    assert set(FEATURE_FILES) <= set(stale)
    assert sorted(set(recopied) - set(fresh) - {ENDPOINT, SETTINGS}) == stale
    for name in stale:
        (project / name).unlink()
    lint_and_types(ProjectChecker(project, superset_environments["3.12"], mypy_cache))
