"""`_migrations` and hooks/migrate.py: a renamed question keeps the team's answer on update."""

from pathlib import Path

import pytest
import yaml
from copier import run_copy, run_update
from copier.errors import UnsafeTemplateError

from tests.harness.gitrepo import commit_all, git, template_copy
from tests.harness.render import TEMPLATE_ROOT

TEAM_EMAIL = "payments@example.org"
RENAME_MIGRATION = """_migrations:
  - version: "9.1.0"
    when: "{{ _stage == 'before' }}"
    command: ["{{ _copier_python }}", "{{ _copier_conf.src_path }}/hooks/migrate.py",
              "rename-answer", "author_email", "owner_email"]
"""


def rename_author_email(repo: Path) -> None:
    """Synthetic release 9.1.0: the question `author_email` becomes `owner_email`."""
    for path in [repo / "copier.yml", *(repo / "template").rglob("*")]:
        if path.is_file() and "author_email" in (text := path.read_text(errors="ignore")):
            path.write_text(text.replace("author_email", "owner_email"))
    config = repo / "copier.yml"
    config.write_text(config.read_text().replace("_migrations: []\n", RENAME_MIGRATION))


def test_every_migration_names_its_version() -> None:
    """A migration without `version` runs (and needs --trust) on every update."""
    config = yaml.safe_load((TEMPLATE_ROOT / "copier.yml").read_text())

    assert all("version" in migration for migration in config["_migrations"])


def test_renamed_question_keeps_the_answer(tmp_path: Path) -> None:
    repo = template_copy(tmp_path / "template")
    git(repo, "tag", "9.0.0")
    project = tmp_path / "project"
    run_copy(str(repo), str(project), data={"author_email": TEAM_EMAIL}, defaults=True, quiet=True)
    git(project, "init", "--quiet")
    commit_all(project, "Rendered from 9.0.0")
    rename_author_email(repo)
    commit_all(repo, "Rename author_email to owner_email")
    git(repo, "tag", "9.1.0")

    # A pending migration is a command: Copier asks for --trust, and only then.
    with pytest.raises(UnsafeTemplateError, match="migrations"):
        run_update(str(project), defaults=True, overwrite=True, quiet=True, vcs_ref="9.1.0")
    run_update(
        str(project), defaults=True, overwrite=True, quiet=True, vcs_ref="9.1.0", unsafe=True
    )

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["owner_email"] == TEAM_EMAIL
    assert "author_email" not in answers
    assert TEAM_EMAIL in (project / "pyproject.toml").read_text()
    assert "<<<<<<<" not in (project / "pyproject.toml").read_text()


def test_an_update_past_the_migration_needs_no_trust(tmp_path: Path) -> None:
    repo = template_copy(tmp_path / "template")
    rename_author_email(repo)
    commit_all(repo, "Rename author_email to owner_email")
    git(repo, "tag", "9.1.0")
    project = tmp_path / "project"
    run_copy(str(repo), str(project), defaults=True, quiet=True)
    git(project, "init", "--quiet")
    commit_all(project, "Rendered from 9.1.0")
    gitignore = repo / "template" / ".gitignore"
    gitignore.write_text(gitignore.read_text() + "# 9.1.1\n")
    commit_all(repo, "Fix")
    git(repo, "tag", "9.1.1")

    run_update(str(project), defaults=True, overwrite=True, quiet=True, vcs_ref="9.1.1")

    assert "# 9.1.1" in (project / ".gitignore").read_text()
