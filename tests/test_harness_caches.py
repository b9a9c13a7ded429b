"""The harness's savings keep every check honest: a render with remembered Jinja code is the
render stock Copier makes, the mirrored project holds exactly the fresh render, a preloaded
suite runs and fails as `python -m pytest` would, and the docs site is built again whenever
anything it reads changes."""

import os
import sys
from pathlib import Path

import jinja2
import pytest

from tests.harness.checks import site_inputs
from tests.harness.preload import PreloadServer
from tests.harness.render import mirror, render
from tests.harness.static import digest


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_mirror_rewrites_only_what_changed_and_keeps_bytecode(tmp_path: Path) -> None:
    first, second, project = tmp_path / "first", tmp_path / "second", tmp_path / "project"
    write(first / "app" / "same.py", "SAME = 1\n")
    write(first / "app" / "changed.py", "VALUE = 1\n")
    write(first / "gone" / "old.py", "")
    mirror(first, project)
    cached = write(project / "app" / "__pycache__" / "same.cpython-312.pyc", "bytecode")
    write(project / ".git" / "HEAD", "left by a check")
    unchanged_at = (project / "app" / "same.py").stat().st_mtime_ns

    write(second / "app" / "same.py", "SAME = 1\n")
    write(second / "app" / "changed.py", "VALUE = 2\n")
    (write(second / "run.sh", "#!/bin/sh\n")).chmod(0o755)
    mirror(second, project)

    files = sorted(
        path.relative_to(project).as_posix() for path in project.rglob("*") if path.is_file()
    )
    assert files == [
        "app/__pycache__/same.cpython-312.pyc",
        "app/changed.py",
        "app/same.py",
        "run.sh",
    ]
    assert (project / "app" / "changed.py").read_text() == "VALUE = 2\n"
    assert (project / "app" / "same.py").stat().st_mtime_ns == unchanged_at
    assert os.access(project / "run.sh", os.X_OK)
    assert cached.read_text() == "bytecode"


def test_a_preloaded_run_sees_its_folder_and_environment_and_reports_failures(
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    write(project / "local_module.py", "ANSWER = 42\n")
    write(
        project / "test_run.py",
        "import os\n"
        "import local_module\n\n"
        "def test_folder_and_environment():\n"
        "    assert local_module.ANSWER == 42\n"
        "    assert os.environ['RUN_MARKER'] == 'this run'\n\n"
        "def test_fails_when_asked():\n"
        "    assert os.environ.get('FAIL') is None\n",
    )
    environment = Path(sys.prefix)
    base = {"PATH": os.environ["PATH"], "HOME": str(Path.home()), "LANG": "C.UTF-8"}
    server = PreloadServer.start(environment, tmp_path / "preload.sock", base)
    try:
        run = {**base, "RUN_MARKER": "this run"}
        passed, cpu = server.run("pytest", project, run, ["-q", "-p", "no:cacheprovider"])
        failed, _ = server.run(
            "pytest", project, {**run, "FAIL": "1"}, ["-q", "-p", "no:cacheprovider"]
        )
    finally:
        server.stop()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "2 passed" in passed.stdout
    assert cpu > 0
    assert failed.returncode == 1
    assert "1 failed, 1 passed" in failed.stdout
    assert "test_fails_when_asked" in failed.stdout


def test_the_docs_site_is_keyed_by_what_mkdocs_reads(tmp_path: Path) -> None:
    write(tmp_path / "mkdocs.yml", "site_name: x\nhooks:\n  - tools/hook.py\n\nnav: []\n")
    write(tmp_path / "docs" / "reference.md", "# Services\n\n::: app.services\n")
    write(tmp_path / "tools" / "hook.py", "")
    write(tmp_path / "app" / "services" / "users.py", '"""Users."""\n')
    write(tmp_path / "app" / "core" / "settings.py", "X = 1\n")

    def key() -> str:
        return "".join(map(digest, site_inputs(tmp_path)))

    first = key()
    write(tmp_path / "app" / "core" / "settings.py", "X = 2\n")
    assert key() == first, "code the pages do not document is not an input"
    for changed in ("app/services/users.py", "tools/hook.py", "docs/reference.md"):
        before = key()
        (tmp_path / changed).write_text((tmp_path / changed).read_text() + "\n# changed\n")
        assert key() != before, changed


def files(project: Path) -> dict[str, bytes]:
    return {
        path.relative_to(project).as_posix(): path.read_bytes()
        for path in project.rglob("*")
        if path.is_file()
    }


def test_remembered_jinja_code_renders_what_stock_copier_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = {"worker": "none", "sentry": False}
    render(tmp_path / "warm-up", answers)
    remembered = files(render(tmp_path / "remembered", answers))
    monkeypatch.setattr(jinja2.Environment, "compile", jinja2.Environment.compile.__wrapped__)
    stock = files(render(tmp_path / "stock", answers))

    assert remembered.pop(".env") != stock.pop(".env"), "each render draws its own secret"
    assert remembered == stock
