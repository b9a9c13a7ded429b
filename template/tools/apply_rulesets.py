"""Creates or updates this repository's rulesets on GitHub from .github/rulesets/*.json.

    uv run python -m tools.apply_rulesets [--repo owner/name]

Idempotent: a ruleset is matched by its name, then updated (PUT) if GitHub has it and created
(POST) if not; rulesets of other names are left alone. Runs the GitHub CLI (`gh api`), signed
in (`gh auth login`) as someone who administers the repository.
"""

import argparse
import json
import shutil
import subprocess  # nosec B404 - runs the GitHub CLI with fixed arguments, no shell
import sys
from pathlib import Path
from typing import Any

RULESETS = Path(__file__).resolve().parent.parent / ".github" / "rulesets"


class GitHubCliError(RuntimeError):
    pass


def gh(*arguments: str, body: str | None = None) -> Any:
    """`gh <arguments>`, its JSON answer parsed."""
    executable = shutil.which("gh")
    if executable is None:
        raise GitHubCliError("the GitHub CLI `gh` is not on PATH: https://cli.github.com")
    result = subprocess.run(  # noqa: S603  # nosec B603 - our own arguments, no shell
        [executable, *arguments], input=body, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise GitHubCliError(f"gh {' '.join(arguments[:3])} failed: {result.stderr.strip()}")
    return json.loads(result.stdout) if result.stdout.strip() else None


def current_repository() -> str:
    answer = gh("repo", "view", "--json", "nameWithOwner")
    return str(answer["nameWithOwner"])


def apply_rulesets(repository: str, folder: Path = RULESETS) -> list[str]:
    """Creates or updates each ruleset of `folder`; returns what it did, one line each."""
    # Only this repository's own rulesets: those of an organisation cannot be edited here.
    existing = gh("api", f"repos/{repository}/rulesets?per_page=100&includes_parents=false")
    ids = {ruleset["name"]: ruleset["id"] for ruleset in existing or []}
    done = []
    for path in sorted(folder.glob("*.json")):
        body = path.read_text(encoding="utf-8")
        name = json.loads(body)["name"]
        if name in ids:
            endpoint, method, verb = f"repos/{repository}/rulesets/{ids[name]}", "PUT", "updated"
        else:
            endpoint, method, verb = f"repos/{repository}/rulesets", "POST", "created"
        gh("api", "--method", method, endpoint, "--input", "-", body=body)
        done.append(f"{verb} ruleset {name!r} from {path.name}")
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", help="owner/name (default: the repository of this clone)")
    arguments = parser.parse_args(argv)
    try:
        for line in apply_rulesets(arguments.repo or current_repository()):
            print(line)
    except GitHubCliError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
