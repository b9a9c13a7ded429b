"""Branch protection as code: the rulesets require the CI jobs that exist, and the command
that applies them creates or updates each one through the GitHub CLI."""

import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools.apply_rulesets import RULESETS, main

WORKFLOWS = RULESETS.parent / "workflows"
# Not required, on purpose: it needs the advisory database, and a new advisory against a
# locked package would block every merge, whatever the change.
NOT_REQUIRED = {"Dependency audit (pip-audit)"}


def pull_request_job_names() -> set[str]:
    """The check names the jobs of pull-request workflows report, matrices expanded."""
    names = set()
    for path in WORKFLOWS.glob("*.yml"):
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads `on` as true
        if "pull_request" not in triggers:
            continue
        for job_id, job in workflow["jobs"].items():
            name = job.get("name", job_id)
            matrix = job.get("strategy", {}).get("matrix", {})
            expanded = [name]
            for key, values in matrix.items():
                placeholder = "${{ matrix." + key + " }}"
                if placeholder in name:
                    expanded = [n.replace(placeholder, str(v)) for n in expanded for v in values]
            names.update(expanded)
    return names


def rulesets() -> dict[str, dict[str, Any]]:
    return {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(RULESETS.glob("*.json"))
    }


def required_checks(ruleset: dict[str, Any]) -> set[str]:
    rules = {rule["type"]: rule.get("parameters", {}) for rule in ruleset["rules"]}
    return {check["context"] for check in rules["required_status_checks"]["required_status_checks"]}


def test_main_and_develop_are_protected() -> None:
    found = rulesets()

    assert {ruleset["conditions"]["ref_name"]["include"][0] for ruleset in found.values()} == {
        "refs/heads/main",
        "refs/heads/develop",
    }
    for ruleset in found.values():
        rules = {rule["type"]: rule.get("parameters", {}) for rule in ruleset["rules"]}
        assert ruleset["enforcement"] == "active"
        assert {"deletion", "non_fast_forward", "required_linear_history"} <= rules.keys()
        assert rules["pull_request"]["required_approving_review_count"] >= 1


@pytest.mark.parametrize("name", sorted(rulesets()))
def test_every_pull_request_job_is_required_and_every_required_check_exists(name: str) -> None:
    jobs = pull_request_job_names()

    assert required_checks(rulesets()[name]) == jobs - NOT_REQUIRED


FAKE_GH = """#!PYTHON
import json, os, sys
arguments = sys.argv[1:]
body = sys.stdin.read() if "--input" in arguments else None
with open(os.environ["FAKE_GH_LOG"], "a") as log:
    log.write(json.dumps({"arguments": arguments, "body": body}) + "\\n")
if os.environ.get("FAKE_GH_FAIL"):
    sys.exit(print("HTTP 403: Resource not accessible by integration", file=sys.stderr) or 1)
if arguments[:2] == ["repo", "view"]:
    print(json.dumps({"nameWithOwner": "acme/phone-service"}))
elif arguments[0] == "api" and "--method" not in arguments:
    print(os.environ["FAKE_GH_RULESETS"])
else:
    print("{}")
"""


@pytest.fixture
def github(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `gh` on PATH that answers as GitHub would and logs every call."""
    folder = tmp_path / "bin"
    folder.mkdir()
    gh = folder / "gh"
    gh.write_text(FAKE_GH.replace("PYTHON", sys.executable, 1))
    gh.chmod(0o755)
    log = tmp_path / "gh.log"
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setenv("FAKE_GH_LOG", str(log))
    monkeypatch.setenv("FAKE_GH_RULESETS", json.dumps([{"id": 7, "name": "Protect main"}]))
    return log


def calls(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text().splitlines()]


def test_apply_updates_existing_rulesets_and_creates_missing_ones(
    github: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([]) == 0

    made = calls(github)
    assert [call["arguments"] for call in made] == [
        ["repo", "view", "--json", "nameWithOwner"],
        ["api", "repos/acme/phone-service/rulesets?per_page=100&includes_parents=false"],
        ["api", "--method", "POST", "repos/acme/phone-service/rulesets", "--input", "-"],
        ["api", "--method", "PUT", "repos/acme/phone-service/rulesets/7", "--input", "-"],
    ]
    assert [json.loads(call["body"]) for call in made[2:]] == list(rulesets().values())
    assert capsys.readouterr().out.splitlines() == [
        "created ruleset 'Protect develop' from develop.json",
        "updated ruleset 'Protect main' from main.json",
    ]


def test_apply_again_only_updates(github: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    existing = [{"id": 7, "name": "Protect main"}, {"id": 8, "name": "Protect develop"}]
    monkeypatch.setenv("FAKE_GH_RULESETS", json.dumps(existing))

    assert main(["--repo", "acme/other"]) == 0

    methods = [call["arguments"][1:4] for call in calls(github) if "--method" in call["arguments"]]
    assert methods == [
        ["--method", "PUT", "repos/acme/other/rulesets/8"],
        ["--method", "PUT", "repos/acme/other/rulesets/7"],
    ]


def test_a_refusal_from_github_is_reported_not_raised(
    github: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FAKE_GH_FAIL", "1")

    assert main(["--repo", "acme/phone-service"]) == 1
    assert "HTTP 403: Resource not accessible" in capsys.readouterr().err


def test_without_the_github_cli_it_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    assert main(["--repo", "acme/phone-service"]) == 1
    assert "https://cli.github.com" in capsys.readouterr().err
