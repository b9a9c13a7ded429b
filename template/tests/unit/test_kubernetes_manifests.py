"""What the Kubernetes manifests trust: X-Forwarded-For from named addresses only."""

import ipaddress
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[2]


def config_literals() -> dict[str, str]:
    kustomization = yaml.safe_load((PROJECT / "deploy" / "k8s" / "kustomization.yaml").read_text())
    (config,) = kustomization["configMapGenerator"]
    return dict(literal.split("=", 1) for literal in config["literals"])


def test_forwarded_headers_are_trusted_from_single_addresses_only() -> None:
    trusted = config_literals()["FORWARDED_ALLOW_IPS"].split(",")

    # A range (10.0.0.0/8) or `*` would let any pod in it choose the client address that the
    # per-client limits count.
    networks = [ipaddress.ip_network(entry.strip()) for entry in trusted]
    assert all(network.num_addresses == 1 for network in networks)
