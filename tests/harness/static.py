"""Static validation of non-Python files (no Docker engine or GitHub runner here).

Many combinations render the same Dockerfile or workflow, so each distinct content is
validated once per run: the first combination to produce it validates it for all.
"""

import fnmatch
import hashlib
import subprocess
import sys
from pathlib import Path

from tests.harness.envs import file_lock

TOOLS = Path(sys.executable).parent

VALIDATORS: list[tuple[str, list[str]]] = [
    ("Dockerfile", [str(TOOLS / "hadolint")]),
    (
        "docker-compose.yml",
        [str(TOOLS / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec"],
    ),
    (
        ".github/workflows/*.yml",
        [str(TOOLS / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows"],
    ),
    ("deploy/k8s/*.yaml", [str(TOOLS / "kubernetes-validate"), "--strict"]),
]
NOT_MANIFESTS = {"kustomization.yaml"}


def files_to_validate(project: Path) -> list[tuple[Path, list[str]]]:
    found = []
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project).as_posix()
        for pattern, command in VALIDATORS:
            if fnmatch.fnmatch(relative, pattern) and path.name not in NOT_MANIFESTS:
                found.append((path, command))
    return found


def validate_static_files(project: Path, seen_dir: Path) -> list[str]:
    """Validate files whose content no earlier combination validated; returns the failures."""
    seen_dir.mkdir(exist_ok=True)
    failures = []
    for path, command in files_to_validate(project):
        digest = hashlib.sha256(path.name.encode() + path.read_bytes()).hexdigest()
        marker = seen_dir / digest
        with file_lock(seen_dir / f"{digest}.lock"):
            if marker.exists():
                continue
            result = subprocess.run(
                [*command, str(path)], capture_output=True, text=True, check=False
            )
            if result.returncode != 0:
                failures.append(f"{path.relative_to(project)}:\n{result.stdout}{result.stderr}")
                continue
            marker.touch()
    return failures
