"""Releases of this template, found from history: clones may carry no tags.

A release is a `## X.Y.Z` heading of CHANGELOG.md; its commit is the oldest one that added
the heading (docs/releasing.md), the commit scripts/tag_releases.py tags, so tags and
history agree. `release_repo` rebuilds a throw-away repository whose
history is each release's tree, tagged, and then this working tree as HEAD, so Copier can
render a release (`--vcs-ref X.Y.Z`) and update from it to HEAD.
"""

import io
import re
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.harness.gitrepo import TEMPLATE_PARTS, commit_all, git
from tests.harness.render import TEMPLATE_ROOT

RELEASE_HEADING = re.compile(r"^## (\d+\.\d+\.\d+)\b", re.MULTILINE)


@dataclass(frozen=True)
class Release:
    version: str
    commit: str


def releases(root: Path = TEMPLATE_ROOT) -> list[Release]:
    """Every release in CHANGELOG.md, oldest first, with the commit that cut it."""
    found = []
    for version in reversed(RELEASE_HEADING.findall((root / "CHANGELOG.md").read_text())):
        commits = git(
            root, "log", "--reverse", "--format=%H", f"-S## {version} ", "--", "CHANGELOG.md"
        ).split()
        if not commits:
            raise LookupError(
                f"CHANGELOG.md has `## {version}` but no commit added it: is this a shallow "
                "clone? (CI checks out with fetch-depth: 0)"
            )
        found.append(Release(version, commits[0]))
    return found


def _replace_tree(repo: Path, fill: Callable[[Path], None]) -> None:
    for path in repo.iterdir():
        if path.name != ".git":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    fill(repo)


def _extract_commit(commit: str) -> Callable[[Path], None]:
    def fill(repo: Path) -> None:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", commit],
            cwd=TEMPLATE_ROOT,
            capture_output=True,
            check=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(repo, filter="data")

    return fill


def _copy_working_tree(repo: Path) -> None:
    for part in TEMPLATE_PARTS:
        source = TEMPLATE_ROOT / part
        if source.is_dir():
            shutil.copytree(source, repo / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, repo / part)


def release_repo(destination: Path, tagged: list[Release]) -> Path:
    """Each release's tree as one commit tagged with its version, then this working tree."""
    destination.mkdir(parents=True)
    git(destination, "init", "--quiet", "--initial-branch=main")
    for release in tagged:
        _replace_tree(destination, _extract_commit(release.commit))
        commit_all(destination, f"Release {release.version}")
        git(destination, "tag", release.version)
    _replace_tree(destination, _copy_working_tree)
    git(destination, "add", "--all")
    git(destination, "commit", "--quiet", "--allow-empty", "--message", "Working tree")
    return destination
