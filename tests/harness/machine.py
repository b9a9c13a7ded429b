"""What the test suite needs from the machine, found or installed: the README's test command
and .ci/run both run `python -m tests.harness.machine` before pytest.

- Tools from Debian packages, installed with apt when missing: promtool (package
  prometheus: the rendered alert rules' unit tests), wrk (the benchmark's smoke test) and
  chromium (the docs site's browser check).
- Interpreters: Python 3.12 and 3.13, from PYTHON312 / PYTHON313, else installed beside the
  running interpreter (pyenv, asdf and `uv python` keep versions side by side; a pyenv shim on
  PATH is not an interpreter), else under PYENV_ROOT, else on PATH.

Standard library only: it runs before the harness's own environment is complete.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

# command -> Debian package that provides it
DEBIAN_TOOLS = {"promtool": "prometheus", "wrk": "wrk", "chromium": "chromium"}
PYTHON_VERSIONS = ("3.12", "3.13")


def _apt_get(*args: str) -> subprocess.CompletedProcess[str]:
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    command = [*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def ensure_debian_tools(tools: dict[str, str] = DEBIAN_TOOLS) -> list[str]:
    """Installs the packages of missing commands; returns what is still missing, and why."""
    missing = {command: package for command, package in tools.items() if not shutil.which(command)}
    if not missing:
        return []
    if shutil.which("apt-get") is None:
        return [f"{command}: install the package {package}" for command, package in missing.items()]
    packages = sorted(set(missing.values()))
    print(f"machine: installing {', '.join(packages)} with apt-get", flush=True)
    install = ("install", "-y", "-q", "--no-install-recommends", *packages)
    result = _apt_get(*install)
    if result.returncode != 0:  # a fresh machine's package lists may be empty or stale
        _apt_get("update", "-q")
        result = _apt_get(*install)
    if "prometheus" in packages:
        # The package starts a Prometheus server where systemd runs; tests need only promtool.
        subprocess.run(["systemctl", "disable", "--now", "prometheus"], capture_output=True)
    detail = result.stderr.strip().splitlines()[-1:] or [""]
    return [
        f"{command}: apt-get install {package} failed ({detail[0]})"
        for command, package in missing.items()
        if shutil.which(command) is None
    ]


def _runs(candidate: Path, version: str) -> bool:
    check = f"import sys; sys.exit(sys.version_info[:2] != {tuple(map(int, version.split('.')))})"
    try:
        return subprocess.run([candidate, "-c", check], capture_output=True).returncode == 0
    except OSError:
        return False


def _candidates(version: str) -> list[Path]:
    name = f"python{version}"
    versions_dirs = [Path(sys.base_prefix).parent]  # beside the running interpreter
    if pyenv_root := os.environ.get("PYENV_ROOT"):
        versions_dirs.append(Path(pyenv_root) / "versions")
    versions_dirs.append(Path.home() / ".pyenv" / "versions")
    found = [
        prefix / "bin" / name
        for versions in versions_dirs
        if versions.is_dir()
        for prefix in sorted(versions.glob(f"{version}*"), reverse=True)  # newest patch first
    ]
    on_path = shutil.which(name)
    return [*found, *([Path(on_path)] if on_path else [])]


def find_python(version: str) -> str | None:
    """Path of a working Python `version` (e.g. "3.13"), or None."""
    configured = os.environ.get(f"PYTHON{version.replace('.', '')}")
    if configured:
        return configured
    return next((str(path) for path in _candidates(version) if _runs(path, version)), None)


def main() -> int:
    problems = ensure_debian_tools()
    for version in PYTHON_VERSIONS:
        path = find_python(version)
        print(f"machine: Python {version}: {path or 'not found'}")
        if path is None:
            variable = f"PYTHON{version.replace('.', '')}"
            problems.append(f"Python {version}: install it (pyenv, uv python) or set {variable}")
    for command in DEBIAN_TOOLS:
        print(f"machine: {command}: {shutil.which(command) or 'missing'}")
    for problem in problems:
        print(f"machine: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
