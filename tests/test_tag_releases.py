"""scripts/tag_releases.py tags each CHANGELOG release on its commit; a rerun changes nothing."""

import subprocess
import sys
from pathlib import Path

from tests.harness.gitrepo import git
from tests.harness.releases import releases
from tests.harness.render import TEMPLATE_ROOT


def tag_releases(clone: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scripts.tag_releases", "--repo", str(clone)],
        cwd=TEMPLATE_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_tags_every_release_once(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-tags", str(TEMPLATE_ROOT), str(clone)], check=True
    )
    assert git(clone, "tag", "--list") == ""
    expected = releases(clone)
    assert [release.version for release in expected][:2] == ["0.1.0", "0.2.0"]

    first = tag_releases(clone)
    second = tag_releases(clone)

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    for release in expected:
        assert git(clone, "rev-parse", f"{release.version}^{{commit}}") == release.commit
        assert git(clone, "cat-file", "-t", release.version) == "tag"  # annotated
        assert f"{release.version}: already tagged" in second.stdout


def test_refuses_to_move_a_tag(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-tags", str(TEMPLATE_ROOT), str(clone)], check=True
    )
    first = releases(clone)[0]
    git(clone, "tag", "--force", first.version, "HEAD")

    result = tag_releases(clone)

    assert result.returncode == 1
    assert f"{first.version}: tagged on" in result.stderr
