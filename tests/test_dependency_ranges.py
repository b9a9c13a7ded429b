"""Version ranges admit the newest releases: a new major shows up here, never as a silent pin.

The harness installs every combination's dependencies fresh from their ranges (the newest
releases they allow), so the matrix already tests the newest versions the ranges admit.
This test closes the gap above them: it resolves the rendered requirements once as declared
and once with their upper bounds removed, and fails for each direct dependency whose newest
release the declared range excludes. Lift the bound once the matrix passes on that release.
"""

import subprocess
from pathlib import Path

from packaging.requirements import Requirement

from tests.combinations import coverage_combinations
from tests.harness.envs import project_requirements, uv
from tests.harness.render import render


def without_upper_bounds(requirement: str) -> str:
    parsed = Requirement(requirement)
    parsed.specifier = type(parsed.specifier)(
        ",".join(str(spec) for spec in parsed.specifier if spec.operator not in ("<", "<="))
    )
    return str(parsed)


def resolve(requirements: list[str], directory: Path) -> dict[str, str]:
    """name -> version that uv resolves for these requirements on Python 3.12."""
    source = directory / "requirements.in"
    source.write_text("\n".join(requirements) + "\n")
    result = subprocess.run(
        [
            uv(),
            "pip",
            "compile",
            "--quiet",
            "--no-header",
            "--no-annotate",
            "--python-version",
            "3.12",
            str(source),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    pins = (line.split("==") for line in result.stdout.splitlines() if "==" in line)
    return {name.split("[")[0].lower(): version for name, version in pins}


def test_ranges_admit_the_newest_releases(tmp_path: Path) -> None:
    declared: set[str] = set()
    for index, answers in enumerate(coverage_combinations()):
        declared.update(project_requirements(render(tmp_path / f"project-{index}", answers)))
    (tmp_path / "declared").mkdir()
    (tmp_path / "open").mkdir()

    as_declared = resolve(sorted(declared), tmp_path / "declared")
    newest = resolve(sorted(map(without_upper_bounds, declared)), tmp_path / "open")

    held_back = {
        name: f"{as_declared[name]} (newest {newest[name]})"
        for name in (Requirement(requirement).name.lower() for requirement in declared)
        if as_declared.get(name) != newest.get(name)
    }
    assert held_back == {}, "ranges exclude the newest releases; test them and lift the bound"
