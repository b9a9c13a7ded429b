"""The Kubernetes manifests and the Secret that docs/deployment.md tells operators to create
hold every setting production requires: the pods would crash-loop otherwise."""

import os
import re
import subprocess  # nosec B404 - runs the documented command with kubectl as a recorder
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.core.config import ProductionSettings, Settings, load_settings

PROJECT = Path(__file__).resolve().parents[2]
K8S = PROJECT / "deploy" / "k8s"
# Read by the server process (uvicorn), not by the settings.
PROCESS_VARIABLES = {"FORWARDED_ALLOW_IPS"}
# The documented command, run by a shell in which kubectl prints its arguments, one per line.
RECORDING_KUBECTL = "kubectl() { printf '%s\\n' \"$@\"; }\n"


def kustomization() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    return loaded


def config_map() -> tuple[str, dict[str, str]]:
    """The generated ConfigMap's name and its variables."""
    (generator,) = kustomization()["configMapGenerator"]
    literals: list[str] = generator["literals"]
    return generator["name"], dict(literal.split("=", 1) for literal in literals)


def documented_secret() -> tuple[str, dict[str, str]]:
    """The Secret's name and its variables, as the command in docs/deployment.md makes them."""
    text = (PROJECT / "docs" / "deployment.md").read_text()
    match = re.search(r"```sh\n(kubectl create secret generic .*?)```", text, re.DOTALL)
    assert match, "docs/deployment.md shows how to create the Secret"
    # `python` in the command is this environment's, as after `uv sync`.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    recorded = subprocess.run(  # noqa: S603  # nosec B603 - the documented command, recorded
        ["/bin/sh", "-c", RECORDING_KUBECTL + match.group(1)],
        env={"PATH": path},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    *command, name = recorded[:4]
    assert command == ["create", "secret", "generic"]
    options = recorded[4:]
    values = dict(option.removeprefix("--from-literal=").split("=", 1) for option in options)
    assert len(values) == len(options), "every option is a --from-literal"
    return name, values


def env_from_names() -> set[tuple[str, str]]:
    """(kind, name) of every ConfigMap and Secret a container of the manifests reads."""
    names = set()
    for manifest in K8S.glob("*deployment.yaml"):
        spec = yaml.safe_load(manifest.read_text())["spec"]["template"]["spec"]
        for container in [*spec.get("initContainers", []), *spec["containers"]]:
            for source in container["envFrom"]:
                for kind in ("configMapRef", "secretRef"):
                    if kind in source:
                        names.add((kind, source[kind]["name"]))
    return names


def test_every_container_reads_the_config_map_and_the_documented_secret() -> None:
    config_name, _ = config_map()
    secret_name, _ = documented_secret()

    assert env_from_names() == {("configMapRef", config_name), ("secretRef", secret_name)}


def test_every_variable_is_set_once_and_read_by_the_service() -> None:
    _, configured = config_map()
    _, secret = documented_secret()

    assert set(configured) & set(secret) == set()
    settings = {name.upper() for name in Settings.model_fields}
    assert set(configured) | set(secret) <= settings | PROCESS_VARIABLES


def test_the_config_map_and_the_documented_secret_start_production_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _, configured = config_map()
    _, secret = documented_secret()
    # Only what the pod gets: no variable of this test run, no .env.
    for name in os.environ:
        if name.lower() in Settings.model_fields or name == "APP_ENV":
            monkeypatch.delenv(name)
    for name, value in {**configured, **secret}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)

    settings = load_settings()

    assert isinstance(settings, ProductionSettings)
