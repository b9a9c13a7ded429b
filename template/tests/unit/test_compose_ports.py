"""docker-compose.yml can start next to servers already on the machine: every host port it
publishes is a variable with the usual port as default, listed in .env.example."""

import re
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[2]
# [host address:]${NAME:-default}:container port
MOVABLE_PORT = re.compile(
    r"^(?:127\.0\.0\.1:)?\$\{(?P<name>[A-Z_]+_HOST_PORT):-(?P<default>\d+)\}:(?P<target>\d+)$"
)


def published_ports() -> dict[str, list[str]]:
    services = yaml.safe_load((PROJECT / "docker-compose.yml").read_text())["services"]
    return {name: service["ports"] for name, service in services.items() if "ports" in service}


def test_every_published_port_is_a_variable_defaulting_to_the_usual_port() -> None:
    ports = published_ports()

    assert ports, "the API and its servers are reachable from the host"
    for service, mappings in ports.items():
        for mapping in mappings:
            match = MOVABLE_PORT.match(mapping)
            assert match, f"{service} publishes a fixed host port: {mapping}"
            assert match["default"] == match["target"], mapping


def test_env_example_names_every_port_variable() -> None:
    names = {
        match["name"]
        for mappings in published_ports().values()
        for mapping in mappings
        if (match := MOVABLE_PORT.match(mapping))
    }
    listed = set(
        re.findall(r"^# ([A-Z_]+_HOST_PORT)=", (PROJECT / ".env.example").read_text(), re.M)
    )

    assert names == listed
