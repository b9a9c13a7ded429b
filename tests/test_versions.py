"""Renders use this working tree (--vcs-ref HEAD), and `copier update` carries changes over."""

from pathlib import Path

from copier import run_copy, run_update

from tests.harness.gitrepo import commit_all, git, template_copy
from tests.harness.render import render

MARKER = "# Added after the tag.\n"


def test_harness_renders_head_not_the_newest_tag(tmp_path: Path) -> None:
    repo = template_copy(tmp_path / "template")
    git(repo, "tag", "v0.1.0")
    gitignore = repo / "template" / ".gitignore"
    gitignore.write_text(gitignore.read_text() + MARKER)
    commit_all(repo, "Change after the tag")

    head = render(tmp_path / "head", {}, template=repo)
    tagged = tmp_path / "tagged"
    run_copy(str(repo), str(tagged), defaults=True, unsafe=True, quiet=True)  # no vcs_ref

    assert MARKER in (head / ".gitignore").read_text()
    assert MARKER not in (tagged / ".gitignore").read_text()


def test_update_brings_template_changes_and_keeps_user_changes(tmp_path: Path) -> None:
    repo = template_copy(tmp_path / "template")
    git(repo, "tag", "v0.1.0")
    project = tmp_path / "project"
    run_copy(str(repo), str(project), defaults=True, unsafe=True, quiet=True, vcs_ref="v0.1.0")
    git(project, "init", "--quiet")
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\nOur team's own notes.\n")
    env_file = project / ".env"
    env_file.write_text(env_file.read_text() + "DEBUG=true\n")
    commit_all(project, "Generated, then edited")

    gitignore = repo / "template" / ".gitignore"
    gitignore.write_text(gitignore.read_text() + MARKER)
    commit_all(repo, "Template fix")
    git(repo, "tag", "v0.2.0")

    run_update(
        str(project), defaults=True, unsafe=True, overwrite=True, quiet=True, vcs_ref="v0.2.0"
    )

    assert MARKER in (project / ".gitignore").read_text()
    assert "Our team's own notes." in readme.read_text()
    assert env_file.read_text().endswith("DEBUG=true\n")  # _skip_if_exists: never overwritten
    assert "_commit: v0.2.0" in (project / ".copier-answers.yml").read_text()
