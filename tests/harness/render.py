"""Render the template in-process (no Copier start-up per combination)."""

import atexit
import functools
import os
import re
import shutil
import tempfile
from collections.abc import Hashable
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
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


def environment_settings(environment: jinja2.Environment) -> tuple[Hashable, ...]:
    """What Jinja's compiled code depends on besides the source: syntax, whitespace rules,
    extensions and code generation options (not globals or filters, looked up at run time)."""
    return (
        type(environment),
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        tuple(sorted(environment.extensions)),
        environment.optimized,
        environment.is_async,
        environment.finalize,
        environment.autoescape,
        environment.code_generator_class,
    )


def compile_once(compile_source: Any) -> Any:
    """Jinja's `Environment.compile`, remembered per source and settings for the process.

    Copier builds a new environment for every render and compiles each file name, answers
    path and question default anew: half of a render's time, for code objects that do not
    depend on the environment instance (Jinja binds it when it runs a template). Only such
    strings are remembered, not files, and only when two compilations agree: Jinja's
    optimizer folds constant expressions at compile time, `(2 ** 256) | ans_random` (the
    development secret) included, and a remembered fold would give every render one value.
    """
    compiled: dict[tuple[Hashable, ...], CodeType] = {}

    @functools.wraps(compile_source)
    def remembered(
        self: jinja2.Environment,
        source: Any,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        if raw or filename is not None or not isinstance(source, str):
            return compile_source(self, source, name, filename, raw, defer_init)
        key = (source, name, defer_init, environment_settings(self))
        code = compiled.get(key)
        if code is None:
            code = compile_source(self, source, name, filename, raw, defer_init)
            if compile_source(self, source, name, filename, raw, defer_init) == code:
                compiled[key] = code
        return code

    return remembered


jinja2.Environment.compile = compile_once(jinja2.Environment.compile)  # type: ignore[method-assign]


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


def mirror(source: Path, destination: Path) -> None:
    """Make `destination` hold exactly the files of `source`, rewriting only those whose bytes
    or mode differ.

    A worker checks every combination in one folder mirrored from its fresh render: caches
    keyed to a file's path and modification time (CPython's bytecode, mypy's cache) or its
    content (pytest's rewritten test modules) stay valid for the files the last combination
    rendered alike. `__pycache__` folders are kept; each entry is checked against its source
    when imported, CPython's by modification time and size: a rewritten file never keeps
    the second its last version was written in.
    """
    destination.mkdir(parents=True, exist_ok=True)
    wanted = {path.relative_to(source): path for path in source.rglob("*")}
    for path in sorted(destination.rglob("*"), reverse=True):  # a folder's files first
        relative = path.relative_to(destination)
        if "__pycache__" in relative.parts:
            continue
        twin = wanted.get(relative)
        if twin is None or twin.is_dir() != (path.is_dir() and not path.is_symlink()):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
    for relative, path in sorted(wanted.items()):
        target = destination / relative
        if path.is_symlink() or not (path.is_dir() or path.is_file()):
            raise ValueError(f"{path}: only files and folders are rendered")
        if path.is_dir():
            target.mkdir(exist_ok=True)
            continue
        if not target.exists() or target.read_bytes() != path.read_bytes():
            written = int(target.stat().st_mtime) if target.exists() else None
            target.unlink(missing_ok=True)
            shutil.copyfile(path, target)
            if int(target.stat().st_mtime) == written:
                os.utime(target, (written + 1, written + 1))
        mode = path.stat().st_mode & 0o7777
        if target.stat().st_mode & 0o7777 != mode:
            os.chmod(target, mode)


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
