"""The README's commands stop at once, with one clear line, when python3 is too old."""

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_readme import clean_environment, readme_command

# Debian 12's system Python, which CI machines have; any Python before 3.12 would do.
OLD_PYTHON = shutil.which("python3.11") or shutil.which("python3.10")


@pytest.mark.parametrize("marker", ["render-and-run", "test-suite"])
def test_command_names_the_python_it_needs(marker: str, tmp_path: Path) -> None:
    assert OLD_PYTHON, "the test needs a Python older than 3.12 on PATH (python3.11)"
    env = clean_environment(tmp_path / "bin")
    (tmp_path / "bin" / "python3").unlink()
    (tmp_path / "bin" / "python3").symlink_to(OLD_PYTHON)

    result = subprocess.run(
        ["bash", "-c", readme_command(marker)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )

    assert result.returncode == 1
    assert result.stderr == "This needs Python 3.12 or newer as python3\n"
    assert result.stdout == ""


def test_ci_runs_the_readme_test_command_word_for_word() -> None:
    ci_script = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert f"\n{readme_command('test-suite')} || status=$?\n" in ci_script
