"""The checks every rendered combination must pass, each run with the shared environment."""

import hashlib
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.harness.clock import StageClock, cpu_seconds
from tests.harness.envs import file_lock
from tests.harness.static import digest

# Servers of this machine (CI's too); the rendered tests make their own databases and key
# prefixes on them, so combinations running at once never share state.
SERVICE_DEFAULTS = {
    "TEST_DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres",
    "TEST_REDIS_URL": "redis://127.0.0.1:6379/0",
}


# pre-commit hooks of the rendered project that tests/harness/static.py runs once per content.
STATIC_HOOKS = ("hadolint", "check-github-workflows", "check-dependabot", "check-compose")


def uv_run_stand_in(shared_dir: Path) -> Path:
    """A folder holding a `uv` that runs `uv run <tool> ...` as `<tool> ...` from PATH."""
    folder = shared_dir / "uv-run-stand-in"
    script = folder / "uv"
    if not script.exists():
        folder.mkdir(exist_ok=True)
        partial = folder / f"uv.{os.getpid()}"
        partial.write_text('#!/bin/sh\n[ "$1" = run ] || exit 64\nshift\nexec "$@"\n')
        partial.chmod(0o755)
        partial.replace(script)  # atomic: xdist workers may race here
    return folder


class CheckFailed(AssertionError):
    pass


@dataclass
class ProjectChecker:
    project: Path
    environment: Path
    mypy_cache: Path
    clock: StageClock = field(default_factory=StageClock)

    def _env(self) -> dict[str, str]:
        bin_dir = self.environment / "bin"
        env = {
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            # Bytecode is written: pytest's assertion rewrites of the shared environment's
            # plugins (faker, anyio: ~100 modules) are then cached once for every combination.
            "VIRTUAL_ENV": str(self.environment),
            # The rendered suite's tmp_path folders stay beside the project, not in /tmp.
            "PYTEST_DEBUG_TEMPROOT": str(self.project.parent),
        }
        for name, default in SERVICE_DEFAULTS.items():
            env[name] = os.environ.get(name, default)
        return env

    def run(self, name: str, *command: str, env: dict[str, str] | None = None) -> None:
        with self.clock.stage(name):
            self._run(name, *command, env=env)

    def _run(self, name: str, *command: str, env: dict[str, str] | None = None) -> None:
        result = subprocess.run(
            command,
            cwd=self.project,
            env={**self._env(), **(env or {})},
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CheckFailed(
                f"{name} failed in {self.project} (exit {result.returncode}):\n"
                f"$ {' '.join(command)}\n{result.stdout[-6000:]}\n{result.stderr[-4000:]}"
            )

    def tool(self, name: str) -> str:
        return str(self.environment / "bin" / name)

    def pre_commit(self, shared_dir: Path, *, real_uv: bool = False) -> None:
        """The project's own hooks, as `make lint` and CI run them: ruff, ruff format, mypy,
        bandit and file hygiene, each through `uv run` from the shared environment, offline.

        `uv run` costs ~0.3 s a hook, seconds per combination; unless `real_uv`, a stand-in
        `uv` runs the tool from the shared environment directly (tests/test_tooling.py holds
        every hook to `uv run <tool>`). Hooks that validate a file against a schema, and
        hadolint, are skipped: the static checks run them once per distinct file content.
        """
        env = {
            "SKIP": ",".join(STATIC_HOOKS),
            "PRE_COMMIT_HOME": str(shared_dir / "pre-commit"),
            "MYPY_CACHE_DIR": str(self.mypy_cache),
            # A real `uv run` uses the shared environment as it is, offline.
            "UV_PROJECT_ENVIRONMENT": str(self.environment),
            "UV_NO_SYNC": "1",
            "UV_OFFLINE": "1",
            "UV_PYTHON_DOWNLOADS": "never",
        }
        if not real_uv:
            env["PATH"] = f"{uv_run_stand_in(shared_dir)}{os.pathsep}{self._env()['PATH']}"
        self.run("git init", "git", "init", "--quiet")
        self.run("git add", "git", "add", "--all")
        self.run(
            "pre-commit",
            self.tool("pre-commit"),
            "run",
            "--all-files",
            "--show-diff-on-failure",
            env=env,
        )

    def dependencies(self) -> None:
        self.run("deptry", self.tool("deptry"), ".")

    def docs_site(self, shared_dir: Path) -> None:
        """`mkdocs build --strict`, once per distinct site input (pages, config, the code
        mkdocstrings reads), as the project's CI job builds it."""
        seen = shared_dir / "docs-sites"
        seen.mkdir(exist_ok=True)
        inputs = [self.project / name for name in ("mkdocs.yml", "docs", "app")]
        marker = seen / hashlib.sha256("".join(map(digest, inputs)).encode()).hexdigest()
        with file_lock(seen / f"{marker.name}.lock"):
            if marker.exists():
                return
            site = self.project.parent / "site"
            self.run(
                "mkdocs",
                self.tool("mkdocs"),
                "build",
                "--strict",
                "--quiet",
                "--site-dir",
                str(site),
                env={"NO_MKDOCS_2_WARNING": "1"},
            )
            marker.touch()

    def test_suite(self, *, coverage: bool) -> None:
        # The coverage tracer (greenlet-aware) doubles the suite's time; the threshold is
        # enforced on the fewest combinations that render every answer value at least once
        # (`coverage_combinations`), with a wide margin (over 99% on each).
        options = [] if coverage else ["--no-cov"]
        plugin_dir = self.project.parent / "harness-plugins"
        plugin_dir.mkdir(exist_ok=True)
        shutil.copy(Path(__file__).with_name("pytest_clock_plugin.py"), plugin_dir)
        clock_file = plugin_dir / "clock.json"
        wall, cpu = time.time(), cpu_seconds()
        self._run(
            "pytest",
            self.tool("python"),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "pytest_clock_plugin",
            *options,
            env={"PYTHONPATH": str(plugin_dir), "HARNESS_PYTEST_CLOCK": str(clock_file)},
        )
        wall_total, cpu_total = time.time() - wall, cpu_seconds() - cpu
        collected = json.loads(clock_file.read_text())
        self.clock.add("pytest start-up", collected["wall"] - wall, collected["cpu"])
        self.clock.add(
            "tests", wall_total - (collected["wall"] - wall), cpu_total - collected["cpu"]
        )
