"""Every release updates to this working tree: team edits survive, nothing conflicts, and the
result is a fresh render plus the team's edits.

Releases are the `## X.Y.Z` headings of CHANGELOG.md (tests/harness/releases.py). 0.1.0 loaded
Jinja extensions, and Copier re-renders the old version for its 3-way merge, so rendering it
and updating from it run Copier with copier-template-extensions and --trust (CHANGELOG
"Upgrading"); every later release updates with a stock Copier and no --trust.
"""

import json
import os
import re
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from copier import run_copy, run_update

from tests.harness.checks import ProjectChecker
from tests.harness.gitrepo import commit_all, git
from tests.harness.releases import Release, release_repo, releases
from tests.harness.render import render
from tests.harness.team_edits import (
    EDITED,
    TEAM_PAGE,
    TEAM_PATH,
    apply_team_edits,
    assert_team_edits_survive,
)

ANSWER_SETS: dict[str, dict[str, object]] = {
    "defaults": {},
    "all-off": {
        "database": "sqlite",
        "worker": "none",
        "prometheus": False,
        "sentry": False,
        "opentelemetry": False,
        "email_verification": False,
        "auth_provider": "twilio_verify",
    },
    "mixed": {"worker": "none", "sentry": False, "opentelemetry": True},
}
# Releases that loaded Jinja extensions through copier-template-extensions (and so --trust).
EXTENSION_RELEASES = {"0.1.0"}
LEGACY_COPIER = (
    "uv",
    "tool",
    "run",
    "--isolated",
    "--from",
    "copier>=9.7,<10",
    "--with",
    "copier-template-extensions>=0.3.2,<0.4",
    "copier",
)
CONFLICT_MARKER = re.compile(rb"^(<<<<<<<|>>>>>>>) ", re.MULTILINE)  # as git writes them
CONFLICT = re.compile(
    r"<<<<<<< before updating\n(?P<team>.*?)=======\n(?P<template>.*?)>>>>>>> after updating\n",
    re.DOTALL,
)
# The line that ends the template's dependencies; a team's own go below it.
OWN_DEPENDENCIES_BELOW = "    # Your own dependencies go below this line"


def legacy_copier(*args: str, cwd: Path) -> None:
    env = {name: value for name, value in os.environ.items() if name != "VIRTUAL_ENV"}
    subprocess.run([*LEGACY_COPIER, *args, "--trust"], cwd=cwd, env=env, check=True)


def cli_data(answers: dict[str, object]) -> list[str]:
    return [f"--data={key}={str(value).lower()}" for key, value in answers.items()]


def render_release(repo: Path, project: Path, version: str, answers: dict[str, object]) -> None:
    if version in EXTENSION_RELEASES:
        args = ("copy", "--quiet", "--defaults", f"--vcs-ref={version}", *cli_data(answers))
        legacy_copier(*args, str(repo), str(project), cwd=repo.parent)
    else:
        run_copy(str(repo), str(project), data=answers, defaults=True, quiet=True, vcs_ref=version)


def update_to_head(project: Path, version: str) -> float:
    started = time.perf_counter()
    if version in EXTENSION_RELEASES:
        legacy_copier("update", "--quiet", "--defaults", "--vcs-ref=HEAD", cwd=project)
    else:
        run_update(str(project), defaults=True, overwrite=True, quiet=True, vcs_ref="HEAD")
    return time.perf_counter() - started


def tree(project: Path) -> dict[str, bytes]:
    return {
        path.relative_to(project).as_posix(): path.read_bytes()
        for path in sorted(project.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(project).parts
    }


def answers_without_source(project: Path) -> dict[str, object]:
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return {key: value for key, value in answers.items() if key not in {"_commit", "_src_path"}}


def problems(project: Path) -> list[str]:
    found = []
    for name, content in tree(project).items():
        if name.endswith(".rej"):
            found.append(f"{name}: rejected hunk")
        elif CONFLICT_MARKER.search(content):
            found.append(f"{name}: conflict markers")
    return found


def resolve_appended_dependencies(project: Path) -> None:
    """Resolves pyproject.toml as CHANGELOG's Upgrading note tells a team to, where it can
    conflict: a release whose dependency list ended with a template line (before the line
    that the team's own dependencies now go below), when that line changed. Keep the
    template's lines, then the team's own."""
    pyproject = project / "pyproject.toml"
    rendered = git(project, "show", "HEAD~1:pyproject.toml")
    if OWN_DEPENDENCIES_BELOW in rendered:
        return
    template_lines = set(rendered.splitlines(keepends=True))

    def keep_template_then_team(conflict: re.Match[str]) -> str:
        assert OWN_DEPENDENCIES_BELOW in conflict["template"], conflict.group()
        team = conflict["team"].splitlines(keepends=True)
        return conflict["template"] + "".join(line for line in team if line not in template_lines)

    pyproject.write_text(CONFLICT.sub(keep_template_then_team, pyproject.read_text()))


def rewrite_openapi_snapshot(checker: ProjectChecker) -> None:
    """`make openapi`, as a team runs it after an update: the committed schema is generated,
    and the team's own endpoints are in it once the update wires app/api/v1/team.py in."""
    checker.run("make openapi", checker.tool("python"), "-m", "tools.openapi_snapshot")


def lint_and_types(checker: ProjectChecker) -> None:
    checker.run("ruff check", checker.tool("ruff"), "check", "--no-cache", ".")
    checker.run("ruff format", checker.tool("ruff"), "format", "--no-cache", "--check", ".")
    checker.mypy()


RELEASES = releases()


@pytest.mark.parametrize("answer_set", ANSWER_SETS)
@pytest.mark.parametrize("release", RELEASES, ids=[release.version for release in RELEASES])
def test_update_from_release_keeps_team_edits(
    release: Release,
    answer_set: str,
    tmp_path: Path,
    superset_environments: dict[str, Path],
    mypy_cache: Path,
    record_property: Callable[[str, object], None],
) -> None:
    answers = ANSWER_SETS[answer_set]
    repo = release_repo(tmp_path / "template", RELEASES)
    project = tmp_path / "project"
    render_release(repo, project, release.version, answers)
    if not (project / ".git").exists():
        git(project, "init", "--quiet")
    commit_all(project, f"Rendered from {release.version}")
    env_before = (project / ".env").read_text()
    # A release before docs/team.md existed: the team writes its own, which the update keeps.
    team_page_is_the_teams = not (project / TEAM_PAGE).exists()
    apply_team_edits(project)
    commit_all(project, "Team edits")

    seconds = update_to_head(project, release.version)
    record_property("update_seconds", seconds)

    resolve_appended_dependencies(project)
    assert problems(project) == []
    assert_team_edits_survive(project)
    assert (project / ".env").read_text() == env_before + "LOG_LEVEL=DEBUG\n"
    fresh = render(tmp_path / "fresh", answers)
    apply_team_edits(fresh, env=False)
    updated, expected = tree(project), tree(fresh)
    for name in (".env", ".copier-answers.yml", *([TEAM_PAGE] if team_page_is_the_teams else [])):
        updated.pop(name), expected.pop(name)
    assert sorted(updated) == sorted(expected)
    assert [name for name in updated if updated[name] != expected[name]] == []
    assert answers_without_source(project) == answers_without_source(fresh)
    assert all((project / name).is_file() for name in EDITED)

    checker = ProjectChecker(project, superset_environments["3.12"], mypy_cache)
    rewrite_openapi_snapshot(checker)
    schema = json.loads((project / "docs" / "openapi.json").read_text())
    assert TEAM_PATH in schema["paths"], "the team's router is wired in after the update"
    assert {"name": "team"}.items() <= schema["tags"][-1].items()
    lint_and_types(checker)
    if answer_set == "defaults":
        checker.test_suite(coverage=False)


def test_same_lines_changed_by_template_and_team_show_inline_conflict(tmp_path: Path) -> None:
    """Where both sides changed the same line, Copier cannot choose: it writes git-style
    inline conflict markers into the file (no .rej files) and the team resolves them."""
    repo = release_repo(tmp_path / "template", [])
    git(repo, "tag", "9.0.0")
    project = render_at(repo, tmp_path / "project", "9.0.0")
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace("# My Service\n", "# My Service (payments)\n"))
    commit_all(project, "Team renames the title")
    template_readme = repo / "template" / "README.md.jinja"
    template_readme.write_text(
        template_readme.read_text().replace("# {{ project_name }}\n", "# {{ project_name }} API\n")
    )
    commit_all(repo, "Template changes the title")
    git(repo, "tag", "9.0.1")

    run_update(str(project), defaults=True, overwrite=True, quiet=True, vcs_ref="9.0.1")

    text = readme.read_text()
    assert "<<<<<<< before updating\n# My Service (payments)\n=======\n# My Service API\n" in text
    assert ">>>>>>> after updating\n" in text
    assert problems(project) == ["README.md: conflict markers"]


def render_at(repo: Path, project: Path, version: str, **answers: object) -> Path:
    run_copy(str(repo), str(project), data=answers, defaults=True, quiet=True, vcs_ref=version)
    git(project, "init", "--quiet")
    commit_all(project, f"Rendered from {version}")
    return project
