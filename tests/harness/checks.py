"""The checks every rendered combination must pass, each run with the shared environment."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests.harness.clock import StageClock, cpu_seconds
from tests.harness.envs import file_lock
from tests.harness.preload import PreloadServer
from tests.harness.static import digest

# Servers of this machine (CI's too); the rendered tests make their own databases and key
# prefixes on them, so combinations running at once never share state.
SERVICE_DEFAULTS = {
    "TEST_DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres",
    "TEST_REDIS_URL": "redis://127.0.0.1:6379/0",
}


# pre-commit hooks of the rendered project that tests/harness/static.py runs once per content.
STATIC_HOOKS = ("hadolint", "check-github-workflows", "check-dependabot", "check-compose")
# The one hook that checks the whole project rather than the files it is given.
WHOLE_PROGRAM_HOOK = "mypy"


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


# `hooks:` entries of mkdocs.yml, and the `::: package` blocks mkdocstrings renders.
SITE_HOOKS = re.compile(r"^hooks:\n((?:[ \t]+- .+\n)+)", re.MULTILINE)
DOCUMENTED_PACKAGE = re.compile(r"^::: ([\w.]+)", re.MULTILINE)


def site_inputs(project: Path) -> list[Path]:
    """What `mkdocs build` reads: its config, the pages, its hooks and the code of the
    packages the pages document, not the rest of the code (which differs in nearly every
    combination while the site does not)."""
    config = project / "mkdocs.yml"
    docs = project / "docs"
    inputs = [config, docs]
    hooks = SITE_HOOKS.search(config.read_text())
    if hooks is not None:
        inputs += [project / line.split("- ", 1)[1].strip() for line in hooks[1].splitlines()]
    for page in sorted(docs.rglob("*.md")):
        for package in DOCUMENTED_PACKAGE.findall(page.read_text()):
            folder = project.joinpath(*package.split("."))
            inputs.append(folder if folder.is_dir() else folder.with_suffix(".py"))
    missing = [path for path in inputs if not path.exists()]
    if missing:
        raise CheckFailed(f"the docs site names files that do not exist: {missing}")
    return inputs


@dataclass
class HookCache:
    """Which files the per-file hooks passed, by content, across the combinations of a run.

    A per-file hook's verdict on a file depends on the file's path and content and on the
    hooks' configuration (.pre-commit-config.yaml, the tools' tables in pyproject.toml, the
    top-level folders ruff's import sorting treats as first-party): a marker per file names
    all of them, so a file is checked again as soon as any of them changes.
    """

    folder: Path
    project: Path

    def _configuration(self) -> bytes:
        pyproject = tomllib.loads((self.project / "pyproject.toml").read_text())
        config = (self.project / ".pre-commit-config.yaml").read_text()
        hooks = [hook for repo in yaml.safe_load(config)["repos"] for hook in repo["hooks"]]
        whole_program = [hook["id"] for hook in hooks if hook.get("pass_filenames") is False]
        if whole_program != [WHOLE_PROGRAM_HOOK] or any(h.get("always_run") for h in hooks):
            raise CheckFailed(
                f"hooks {whole_program} do not take file names: only {WHOLE_PROGRAM_HOOK} can be "
                "checked once per combination (tests/harness/checks.py)"
            )
        top_level = sorted(path.name for path in self.project.iterdir() if path.is_dir())
        return json.dumps([config, pyproject.get("tool", {}), top_level]).encode()

    def _markers(self) -> dict[str, Path]:
        """File (as `git ls-files` names it) -> its marker."""
        configuration = hashlib.sha256(self._configuration()).hexdigest()
        names = (
            subprocess.run(
                ["git", "ls-files", "-z"], cwd=self.project, capture_output=True, check=True
            )
            .stdout.decode()
            .split("\0")
        )
        markers = {}
        for name in filter(None, names):
            hashed = hashlib.sha256(f"{configuration}\0{name}\0".encode())
            hashed.update((self.project / name).read_bytes())
            markers[name] = self.folder / hashed.hexdigest()
        return markers

    def unseen(self) -> dict[str, Path]:
        """The files no earlier combination passed, with their markers."""
        return {name: marker for name, marker in self._markers().items() if not marker.exists()}

    def remember(self, passed: dict[str, Path]) -> None:
        self.folder.mkdir(exist_ok=True)
        for marker in passed.values():
            marker.touch()


@dataclass
class SharedFile:
    """A file one combination's build wrote, copied into the next combinations' projects."""

    shared: Path
    local: Path

    def fetch(self) -> None:
        if self.shared.exists():
            self.local.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.shared, self.local)

    def share(self) -> None:
        if not self.shared.exists() and self.local.exists():
            self.shared.parent.mkdir(parents=True, exist_ok=True)
            partial = self.shared.with_name(f"{self.shared.name}.{os.getpid()}")
            shutil.copyfile(self.local, partial)
            partial.replace(self.shared)  # atomic: xdist workers may race here


@dataclass
class ProjectChecker:
    project: Path
    environment: Path
    mypy_cache: Path
    # Runs the suites that measure no coverage with the libraries imported already.
    preload: PreloadServer | None = None
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
        self._check(name, command, result)

    def _check(
        self, name: str, command: tuple[str, ...], result: subprocess.CompletedProcess[str]
    ) -> None:
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

        With `real_uv`, every hook runs on every file through the real `uv run`, as on a
        developer's machine. Otherwise (each combination of the matrix), a stand-in `uv` runs
        the tool from the shared environment directly (`uv run` costs ~0.3 s a hook;
        tests/test_tooling.py holds every hook to `uv run <tool>`), the per-file hooks see
        only files whose content (with the hooks' configuration) no earlier combination
        passed, and mypy, which checks the whole program, runs directly with the worker's
        warm cache. Hooks that validate a file against a schema, and hadolint, are skipped:
        the static checks run them once per distinct file content.
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
        self.run("git init", "git", "init", "--quiet")
        self.run("git add", "git", "add", "--all")
        command = [self.tool("pre-commit"), "run", "--show-diff-on-failure"]
        if real_uv:
            self.run("pre-commit hooks", *command, "--all-files", env=env)
            return
        env["PATH"] = f"{uv_run_stand_in(shared_dir)}{os.pathsep}{self._env()['PATH']}"
        env["SKIP"] += f",{WHOLE_PROGRAM_HOOK}"
        with self.clock.stage("pre-commit hooks"):
            cache = HookCache(shared_dir / "hooks-passed", self.project)
            unseen = cache.unseen()
            if unseen:
                self._run("pre-commit hooks", *command, "--files", *unseen, env=env)
            cache.remember(unseen)
        self.mypy()

    def mypy(self) -> None:
        """mypy --strict on the whole project, with this worker's warm cache."""
        self.run("mypy", self.tool("mypy"), env={"MYPY_CACHE_DIR": str(self.mypy_cache)})

    def dependencies(self) -> None:
        self.run("deptry", self.tool("deptry"), ".")

    def docs_site(self, shared_dir: Path) -> None:
        """The docs site built once per distinct site input."""
        seen = shared_dir / "docs-sites"
        seen.mkdir(exist_ok=True)
        inputs = site_inputs(self.project)
        marker = seen / hashlib.sha256("".join(map(digest, inputs)).encode()).hexdigest()
        with file_lock(seen / f"{marker.name}.lock"):
            if marker.exists():
                return
            mermaid = self._shared_mermaid_script(shared_dir)
            self.build_docs(self.project.parent / "site")
            mermaid.share()
            marker.touch()

    def build_docs(self, site: Path) -> None:
        """`mkdocs build --strict` into `site`, as the project's CI job builds it. Not
        `--quiet`: it hides the warnings that `--strict` turns into a failure."""
        arguments = ["build", "--strict", "--site-dir", str(site)]
        env = {"NO_MKDOCS_2_WARNING": "1"}
        if self.preload is None:
            self.run("mkdocs", self.tool("mkdocs"), *arguments, env=env)
            return
        wall = time.time()
        result, cpu = self.preload.run("mkdocs", self.project, {**self._env(), **env}, arguments)
        self.clock.add("mkdocs", time.time() - wall, cpu)
        self._check("mkdocs (preloaded)", ("mkdocs", *arguments), result)

    def _shared_mermaid_script(self, shared_dir: Path) -> SharedFile:
        """The docs hook fetches Mermaid's script with `npm pack` when the docs folder lacks
        it (seconds a build): the first build's copy serves every later one."""
        hook = self.project / "tools" / "mkdocs_mermaid.py"
        source = hook.read_text()
        found = re.search(r'^ASSET = f"(.+)"$', source, re.MULTILINE)
        version = re.search(r'^MERMAID_VERSION = "(.+)"$', source, re.MULTILINE)
        if found is None or version is None:
            raise CheckFailed(f"{hook} no longer names its ASSET and MERMAID_VERSION")
        asset = found.group(1).replace("{MERMAID_VERSION}", version.group(1))
        shared = SharedFile(shared_dir / "docs-assets" / asset, self.project / "docs" / asset)
        shared.fetch()
        return shared

    def test_suite(self, *, coverage: bool) -> None:
        # The coverage tracer (greenlet-aware) doubles the suite's time; the threshold is
        # enforced on the fewest combinations that render every answer value at least once
        # (`coverage_combinations`), with a wide margin (over 99% on each). The same
        # combinations run the tests marked `process`, which start uvicorn or alembic as
        # processes of their own: seconds each, a third of a suite's time, and they exercise
        # start-up and settings, which every answer value reaches in those combinations.
        options = [] if coverage else ["--no-cov", "-m", "not process"]
        plugin_dir = self.project.parent / "harness-plugins"
        plugin_dir.mkdir(exist_ok=True)
        shutil.copy(Path(__file__).with_name("pytest_clock_plugin.py"), plugin_dir)
        clock_file = plugin_dir / "clock.json"
        arguments = ["-q", "-p", "no:cacheprovider", "-p", "pytest_clock_plugin", *options]
        env = {"PYTHONPATH": str(plugin_dir), "HARNESS_PYTEST_CLOCK": str(clock_file)}
        wall, cpu = time.time(), cpu_seconds()
        forked_cpu: float | None = None
        try:
            if self.preload is None or coverage:
                self._run("pytest", self.tool("python"), "-m", "pytest", *arguments, env=env)
            else:
                # Plugins' packages (anyio's) are imported before pytest could rewrite them.
                arguments += ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
                result, forked_cpu = self.preload.run(
                    "pytest", self.project, {**self._env(), **env}, arguments
                )
                self._check("pytest (preloaded)", ("pytest", *arguments), result)
        finally:  # a failing suite's time counts too
            wall_total = time.time() - wall
            cpu_total = cpu_seconds() - cpu if forked_cpu is None else forked_cpu
            collected = json.loads(clock_file.read_text()) if clock_file.exists() else None
            if collected is None:
                self.clock.add("pytest start-up", wall_total, cpu_total)
            else:
                startup = collected["wall"] - wall
                self.clock.add("pytest start-up", startup, collected["cpu"])
                self.clock.add("tests", wall_total - startup, cpu_total - collected["cpu"])
