"""Render the template in-process (no Copier start-up per combination)."""

import re
from pathlib import Path

from copier import run_copy

from tests.combinations import Answers

TEMPLATE_ROOT = Path(__file__).resolve().parents[2]

# `${{ ... }}` is GitHub Actions syntax in rendered workflows, not a Jinja leftover.
JINJA_LEFTOVER = re.compile(r"(?<!\$)\{\{|\{%|%\}")


def render(destination: Path, answers: Answers, *, template: Path = TEMPLATE_ROOT) -> Path:
    run_copy(
        str(template),
        str(destination),
        data=answers,
        defaults=True,
        unsafe=False,  # stock Copier, no --trust: the template runs no code of its own
        vcs_ref="HEAD",  # otherwise Copier renders the newest tag, not this working tree
        quiet=True,
    )
    return destination


def jinja_leftovers(project: Path) -> list[str]:
    """Files whose name or content still holds template syntax."""
    found = []
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project).as_posix()
        if ".jinja" in path.name or JINJA_LEFTOVER.search(relative):
            found.append(f"{relative}: template file name")
        elif path.is_file():
            text = path.read_text(errors="replace")
            if match := JINJA_LEFTOVER.search(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{relative}:{line}: {match.group()}")
    return found
