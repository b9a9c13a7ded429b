"""Static validation of non-Python files (no Docker engine, cluster or GitHub runner here).

Many combinations render the same Dockerfile or workflow, so each distinct content is
validated once per run: the first combination to produce it validates it for all.
"""

import fnmatch
import hashlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from tests.harness.envs import file_lock

TOOLS = Path(sys.executable).parent
# The Kubernetes API the manifests must match; kubernetes-validate ships its schemas.
KUBERNETES_VERSION = "1.35.0"


def _command(*command: str) -> Callable[[Path], subprocess.CompletedProcess[str]]:
    def validate(path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*command, str(path)], capture_output=True, text=True, check=False)

    return validate


def _kustomization(directory: Path) -> subprocess.CompletedProcess[str]:
    """Build the kustomization as `kubectl apply -k` would and validate what it produces."""
    built = subprocess.run(
        [str(TOOLS / "kubectl"), "kustomize", str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    if built.returncode != 0:
        return built
    with tempfile.NamedTemporaryFile("w", suffix=".yaml") as output:
        output.write(built.stdout)
        output.flush()
        return subprocess.run(
            [
                str(TOOLS / "kubernetes-validate"),
                "--strict",
                "--quiet",
                "--kubernetes-version",
                KUBERNETES_VERSION,
                output.name,
            ],
            capture_output=True,
            text=True,
            check=False,
        )


def _promtool() -> str:
    found = shutil.which("promtool")
    if found is None:  # .ci/run installs it (Debian package `prometheus`)
        raise RuntimeError("promtool is not on PATH: install the `prometheus` package")
    return found


def _alert_rules(path: Path) -> subprocess.CompletedProcess[str]:
    return _command(_promtool(), "check", "rules")(path)


def _alert_rule_tests(directory: Path) -> subprocess.CompletedProcess[str]:
    """The rules' unit tests; the folder is the unit, as the tests read the rules file."""
    return _command(_promtool(), "test", "rules")(directory / "alerts.test.yml")


def _schema(name: str) -> Callable[[Path], subprocess.CompletedProcess[str]]:
    return _command(str(TOOLS / "check-jsonschema"), "--builtin-schema", name)


# (pattern of the path in the project, validator). A pattern naming a folder validates the
# folder as a whole; the same file may have more than one validator.
VALIDATORS: list[tuple[str, Callable[[Path], subprocess.CompletedProcess[str]]]] = [
    ("Dockerfile", _command(str(TOOLS / "hadolint"))),
    ("docker-compose.yml", _schema("vendor.compose-spec")),
    (".github/workflows/*.yml", _schema("vendor.github-workflows")),
    (".github/workflows/*.yml", _command(str(TOOLS / "zizmor"), "--offline", "--quiet")),
    (".github/dependabot.yml", _schema("vendor.dependabot")),
    ("renovate.json", _schema("vendor.renovate")),
    ("deploy/k8s", _kustomization),
    ("deploy/prometheus/alerts.yml", _alert_rules),
    ("deploy/prometheus", _alert_rule_tests),
]


def digest(path: Path) -> str:
    """Content hash of a file, or of every file of a folder (names included, bytecode not)."""
    hashed = hashlib.sha256(path.name.encode())
    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    for file in files:
        if file.is_file() and file.suffix != ".pyc":
            hashed.update(file.relative_to(path.parent).as_posix().encode())
            hashed.update(file.read_bytes())
    return hashed.hexdigest()


def files_to_validate(project: Path) -> list[tuple[Path, int]]:
    """(path, index of its validator in VALIDATORS) for everything the project renders."""
    found = []
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project).as_posix()
        for index, (pattern, _) in enumerate(VALIDATORS):
            if fnmatch.fnmatch(relative, pattern):
                found.append((path, index))
    return found


def validate_static_files(project: Path, seen_dir: Path) -> list[str]:
    """Validate files whose content no earlier combination validated; returns the failures."""
    seen_dir.mkdir(exist_ok=True)
    failures = []
    for path, index in files_to_validate(project):
        marker = seen_dir / f"{digest(path)}-{index}"
        with file_lock(seen_dir / f"{marker.name}.lock"):
            if marker.exists():
                continue
            result = VALIDATORS[index][1](path)
            if result.returncode != 0:
                failures.append(f"{path.relative_to(project)}:\n{result.stdout}{result.stderr}")
                continue
            marker.touch()
    return failures
