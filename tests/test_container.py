"""The container check: a freshly rendered project's image, built unchanged and run as the
docs tell an operator, judged from outside.

podman 5 (tests/harness/engine.py) and stand-ins for the base images are installed on first
use and cached in /var/cache/fastapi-template-tests. It never skips: where the engine cannot
run, the test fails saying why.
"""

import json
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.combinations import Answers
from tests.conftest import find_python
from tests.harness.base_images import ensure_base_images
from tests.harness.container import (
    BASE_URL,
    HARDENING,
    build,
    logs,
    pid1_uid,
    port_holder,
    require_root,
    wait_for,
)
from tests.harness.container_settings import (
    documented_secret,
    env_file,
    isolation,
    machine_secret,
    read_manifests,
)
from tests.harness.engine import CACHE, Engine, engine
from tests.harness.envs import file_lock
from tests.harness.fake_twilio import FakeTwilio
from tests.harness.render import render

PHONE = "+14155550123"
# The default answers, and those that change the image the most.
ANSWER_SETS = {
    "defaults": {},
    "sqlite-no-worker": {"database": "sqlite", "worker": "none"},
}


def psql(*sql: str) -> None:
    for statement in sql:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", statement],
            check=True,
            capture_output=True,
        )


def forget_redis_keys(prefix: str) -> None:
    for database in ("0", "1"):
        redis = ["redis-cli", "-h", "127.0.0.1", "-n", database]
        keys = subprocess.run(
            [*redis, "--scan", "--pattern", f"*{prefix}*"], capture_output=True, text=True
        ).stdout.split()
        if keys:
            subprocess.run([*redis, "del", *keys], capture_output=True, check=False)


def refuses_without_settings(podman: Engine, image: str, name: str) -> str:
    """The log of the image's own command, run with only the image's environment: it must
    exit (within 30 s) rather than serve."""
    podman.podman("run", "--detach", f"--name={name}", *HARDENING, image)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            state = podman.podman("inspect", "--format={{.State.Status}}", name).stdout.strip()
            if state == "exited":
                return logs(podman, name)
            time.sleep(0.5)
        raise AssertionError(
            f"with no settings the image still runs after 30 s:\n{logs(podman, name)}"
        )
    finally:
        podman.podman("rm", "--force", "--time=1", name, check=False)


@pytest.fixture
def podman(tmp_path: Path) -> Iterator[Engine]:
    require_root()
    CACHE.mkdir(parents=True, exist_ok=True)
    # One check at a time on the machine: the image's port is fixed and the host network shared.
    with file_lock(CACHE / "container-check.lock"):
        with engine([tmp_path]) as session:
            # Under the lock, any container of the check is a leftover of an interrupted run.
            leftovers = session.podman("ps", "--all", "--quiet", "--filter=name=^check-").stdout
            if leftovers.split():
                session.podman("rm", "--force", "--time=1", *leftovers.split(), check=False)
            holder = port_holder()
            assert holder is None, f"port 8000, the image's own, is taken: {holder}"
            yield session


@pytest.mark.parametrize("answers", ANSWER_SETS.values(), ids=ANSWER_SETS.keys())
def test_image_runs_as_documented(answers: Answers, tmp_path: Path, podman: Engine) -> None:
    started = time.monotonic()
    project = render(tmp_path / "project", answers)
    assert not (project / "uv.lock").exists()  # nothing between render and build
    ensure_base_images(podman, project / "Dockerfile", Path(find_python("3.12")))
    prepared = time.monotonic() - started
    name = f"check-{secrets.token_hex(4)}"
    image = f"localhost/container-check:{name}"
    build_seconds = build(podman, project, image)
    manifests = read_manifests(project)
    database = name.replace("-", "_")
    secret = machine_secret(documented_secret(project), database=database)
    twilio = FakeTwilio(tmp_path / "twilio")
    ca, ca_inside = podman.staged(f"{name}-twilio-ca.pem")
    ca.write_bytes(twilio.ca.read_bytes())
    environment = env_file(
        tmp_path / "production.env",
        manifests.config,
        secret,
        isolation(name),
        {"SSL_CERT_FILE": "/etc/fake-twilio-ca.pem"},  # trust the fake Twilio's certificate
    )
    staged_env, env_inside = podman.staged(f"{name}.env")
    staged_env.write_text(environment.read_text())
    volumes = [f"--volume={ca_inside}:/etc/fake-twilio-ca.pem:ro"]
    if answers.get("database") == "sqlite":
        volumes.append(f"--volume={name}:/data")  # the PersistentVolumeClaim
    else:
        psql(f"CREATE DATABASE {database}")
    run = [*HARDENING, f"--env-file={env_inside}", *volumes, *twilio.add_hosts()]
    containers = [name]
    try:
        refusal = refuses_without_settings(podman, image, f"{name}-bare")
        # Migrations as the init container runs them.
        migrate_started = time.monotonic()
        migrated = podman.podman("run", "--rm", *run, image, *manifests.migrate, check=False)
        migrate_seconds = time.monotonic() - migrate_started
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        podman.podman("run", "--detach", f"--name={name}", *run, image)
        if manifests.worker:
            containers.append(f"{name}-worker")
            podman.podman(
                "run", "--detach", f"--name={name}-worker", *run, image, *manifests.worker
            )
        # As long as the Deployment's startup probe waits (30 x 2 s).
        live = wait_for(f"{BASE_URL}/live", seconds=60, engine=podman, name=name)
        wait_for(f"{BASE_URL}/ready", seconds=10, engine=podman, name=name)

        health = podman.podman("healthcheck", "run", name, check=False)
        status = podman.podman("inspect", "--format={{json .State.Health}}", name).stdout
        assert health.returncode == 0, f"HEALTHCHECK failed: {health.stderr} {status}"
        assert json.loads(status)["Status"] == "healthy", status

        uid = pid1_uid(podman, name)
        assert uid == 10001, f"the API runs as uid {uid}, not the Dockerfile's USER 10001"
        assert (
            podman.podman("inspect", "--format={{.HostConfig.ReadonlyRootfs}}", name).stdout.strip()
            == "true"
        )
        written = podman.podman("exec", name, "touch", "/app/written", check=False)
        assert written.returncode != 0 and "Read-only file system" in written.stderr

        with httpx.Client(base_url=BASE_URL, timeout=10) as http:
            registered = http.post(
                "/api/v1/auth/register", json={"phone_number": PHONE, "username": "container"}
            )
            assert registered.status_code == 202, registered.text
            deadline = time.monotonic() + 20
            while not twilio.texts and time.monotonic() < deadline:
                time.sleep(0.2)
            assert twilio.texts, f"no SMS reached the fake Twilio:\n{logs(podman, containers[-1])}"
            verified = http.post(
                "/api/v1/auth/verify",
                json={
                    "phone_number": PHONE,
                    "challenge": registered.json()["challenge"],
                    "code": twilio.code(0),
                },
            )
            assert verified.status_code == 200, verified.text
            token = verified.json()["access_token"]
            me = http.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
            assert me.status_code == 200 and me.json()["username"] == "container", me.text

        assert "production" in refusal, refusal
        print(
            f"\ncontainer check {answers or 'defaults'}: render and base images {prepared:.1f} s, "
            f"build {build_seconds:.1f} s, migrations {migrate_seconds:.1f} s, "
            f"/live {live:.1f} s after start, total {time.monotonic() - started:.1f} s"
        )
    finally:
        for container in containers:
            podman.podman("rm", "--force", "--time=5", container, check=False)
        podman.podman("volume", "rm", "--force", name, check=False)
        podman.podman("rmi", "--force", image, check=False)
        twilio.close()
        staged_env.unlink()
        ca.unlink()
        if answers.get("database") != "sqlite":
            psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        forget_redis_keys(name)
