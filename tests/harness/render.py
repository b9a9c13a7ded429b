"""Render the template in-process (no Copier start-up per combination)."""

import atexit
import functools
import re
import shutil
import tempfile
from pathlib import Path

from copier import run_copy
from plumbum import local

from tests.combinations import Answers

TEMPLATE_ROOT = Path(__file__).resolve().parents[2]
# What Copier reads of this repository; the rest (tests, benchmarks...) is never rendered.
TEMPLATE_PARTS = ("copier.yml", "copier_macros.jinja", "template", "hooks", "CHANGELOG.md")

# `${{ ... }}` is GitHub Actions syntax in rendered workflows, and `{{4,` an f-string's
# escaped brace before a regex quantifier (app/utils/phone.py), not Jinja leftovers.
JINJA_LEFTOVER = re.compile(r"(?<!\$)\{\{(?!\d)|\{%|%\}")


def copy_template_parts(destination: Path) -> Path:
    """This working tree's template, uncommitted edits included, into `destination`."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in TEMPLATE_PARTS:
        source = TEMPLATE_ROOT / part
        if source.is_dir():
            shutil.copytree(
                source, destination / part, ignore=shutil.ignore_patterns("__pycache__")
            )
        elif source.exists():
            shutil.copy2(source, destination / part)
    return destination


@functools.cache
def plain_template() -> Path:
    """One copy per process of the template, outside git: Copier renders a folder that is no
    repository in place, where it clones a repository (history and all) for every render."""
    folder = Path(tempfile.mkdtemp(prefix="template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return copy_template_parts(folder / "template")


def render(destination: Path, answers: Answers, *, template: Path | None = None) -> Path:
    """Render `answers` with stock Copier; from a git `template` at its HEAD (the answers file
    then records the commit), else from this working tree without git.

    Without a `template`, git is also hidden from Copier: Copier 9.19 asks git about
    `core.fileMode` once per rendered file (~300 processes a render), which only matters for
    a destination inside a repository, and the renders here are not.
    """
    if template is not None:
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
    with local.env(PATH=""):
        run_copy(
            str(plain_template()),
            str(destination),
            data=answers,
            defaults=True,
            unsafe=False,
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
