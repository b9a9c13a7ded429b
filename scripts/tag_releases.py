"""Tags every release of CHANGELOG.md on the commit that released it; safe to run again.

    uv run python -m scripts.tag_releases [--dry-run] [--repo PATH]   # from the repository root

A release is a `## X.Y.Z` heading of CHANGELOG.md, its commit the oldest one that added the
heading (tests/harness/releases.py finds them the same way, so tags and harness agree). Each
missing tag is created annotated (`Release X.Y.Z`); a tag that already points at the right
commit is left alone; a tag on another commit stops the script (a release is never moved).
Push them with `git push origin --tags`.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

from tests.harness.releases import releases

ROOT = Path(__file__).resolve().parents[1]


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)


def tagged_commit(repo: Path, version: str) -> str | None:
    result = git(repo, "rev-parse", "--verify", "--quiet", f"refs/tags/{version}^{{commit}}")
    return result.stdout.strip() or None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="say what would be tagged")
    parser.add_argument("--repo", type=Path, default=ROOT, help="a clone (default: this one)")
    arguments = parser.parse_args()
    repo, dry_run = arguments.repo, arguments.dry_run
    status = 0
    for release in releases(repo):
        existing = tagged_commit(repo, release.version)
        if existing == release.commit:
            print(f"{release.version}: already tagged on {release.commit[:12]}")
        elif existing is not None:
            print(
                f"{release.version}: tagged on {existing[:12]}, but the release commit is "
                f"{release.commit[:12]}; fix the tag by hand (never move a pushed release)",
                file=sys.stderr,
            )
            status = 1
        elif dry_run:
            print(f"{release.version}: would tag {release.commit[:12]}")
        else:
            # The release commit's own date, so re-tagging a fresh clone gives the same tag.
            date = git(repo, "log", "-1", "--format=%cI", release.commit).stdout.strip()
            result = subprocess.run(
                [
                    "git",
                    "tag",
                    "-a",
                    release.version,
                    "-m",
                    f"Release {release.version}",
                    release.commit,
                ],
                cwd=repo,
                env={**os.environ, "GIT_COMMITTER_DATE": date},
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                print(
                    f"{release.version}: git tag failed: {result.stderr.strip()}", file=sys.stderr
                )
                return 1
            print(f"{release.version}: tagged {release.commit[:12]}")
    return status


if __name__ == "__main__":
    sys.exit(main())
