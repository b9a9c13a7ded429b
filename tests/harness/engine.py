"""A daemonless container engine for the container check: podman from Debian trixie.

Debian 12's buildah (1.28) refuses the Dockerfile's relative bind-mount targets, so podman 5
runs from a debootstrap'ed trixie root cached on the machine (later runs reuse it). It runs in
a private mount namespace whose root is pivot_root'ed into that tree: `podman exec` (and so the
image's HEALTHCHECK) must find the container's mounts where podman made them.
"""

import os
import shutil
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tests.harness.envs import file_lock

CACHE = Path(os.environ.get("FASTAPI_TEMPLATE_TEST_CACHE", "/var/cache/fastapi-template-tests"))
DEBIAN_MIRROR = "http://deb.debian.org/debian"
ENGINE_ROOT = CACHE / "engine-trixie"
# Without CAP_SYS_RESOURCE a container may not raise limits above the machine's hard ones;
# crun cannot run in cgroup hybrid mode, runc with cgroupfs can.
CONTAINERS_CONF = """\
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
log_driver = "k8s-file"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
"""
STORAGE_CONF = """\
[storage]
driver = "overlay"
runroot = "/run/containers/storage"
graphroot = "/var/lib/containers/storage"
"""


class EngineUnavailable(RuntimeError):
    """The engine cannot be installed or run here; the message says why."""


def run(command: Sequence[str | Path], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a set-up command; a failure names the command and its output."""
    result = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )
    if result.returncode != 0:
        raise EngineUnavailable(
            f"`{' '.join(map(str, command))}` exited {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


def apt_install(*packages: str) -> None:
    """Install Debian packages on the machine (refreshing the index once if needed)."""
    if os.geteuid() != 0:
        raise EngineUnavailable(f"installing {', '.join(packages)} needs root")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
    if subprocess.run(install, capture_output=True, env=env, check=False).returncode != 0:
        run(["apt-get", "update", "-q"], env=env)
        run(install, env=env)


def debootstrap(suite: str, destination: Path, include: Sequence[str]) -> None:
    """A minimal Debian tree of `suite` at `destination` (replaced if half-made)."""
    if shutil.which("debootstrap") is None:
        apt_install("debootstrap")
    shutil.rmtree(destination, ignore_errors=True)
    run(
        [
            "debootstrap",
            "--variant=minbase",
            f"--include={','.join(include)}",
            suite,
            destination,
            DEBIAN_MIRROR,
        ]
    )


def ensure_engine_root() -> Path:
    """The trixie tree with podman and runc, made once per machine."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with file_lock(CACHE / "engine.lock"):
        if not (ENGINE_ROOT / ".complete").exists():
            started = time.monotonic()
            debootstrap("trixie", ENGINE_ROOT, ["podman", "runc", "ca-certificates"])
            containers = ENGINE_ROOT / "etc" / "containers"
            containers.mkdir(parents=True, exist_ok=True)
            (containers / "containers.conf").write_text(CONTAINERS_CONF)
            (containers / "storage.conf").write_text(STORAGE_CONF)
            (ENGINE_ROOT / ".complete").write_text(f"{time.monotonic() - started:.0f}s\n")
    return ENGINE_ROOT


# The holder of a private mount namespace rooted in the engine tree (it sleeps until killed).
# Host folders the engine must read (build contexts, the CA bundle) appear at the same paths.
HOLDER_SCRIPT = """\
set -eu
root="$1"; shift
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs tmpfs "$root/run"
mount -t tmpfs tmpfs "$root/tmp"
for shared in "$@"; do
  mkdir -p "$root$shared"
  mount --rbind "$shared" "$root$shared"
done
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp /etc/hosts "$root/etc/hosts"
mkdir -p "$root/.host"
cd "$root"
pivot_root . .host
umount -l /.host
echo "ready $$"
exec sleep infinity
"""


STAGE = Path("/var/tmp/stage")  # noqa: S108 - a folder inside the engine's own tree


class Engine:
    """podman inside the holder's namespace."""

    @staticmethod
    def staged(name: str) -> tuple[Path, Path]:
        """A file the engine can read: its path on the machine and inside the engine's root."""
        host = ENGINE_ROOT / STAGE.relative_to("/") / name
        host.parent.mkdir(parents=True, exist_ok=True)
        return host, STAGE / name

    def __init__(self, namespace_pid: int) -> None:
        self.namespace_pid = namespace_pid

    def command(self, *args: str | Path) -> list[str]:
        return [
            "nsenter",
            f"--target={self.namespace_pid}",
            "--mount",
            "--root",
            "--wd",
            "env",
            "-i",
            "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME=/root",
            "TMPDIR=/var/tmp",
            "PODMAN_IGNORE_CGROUPSV1_WARNING=1",
            "podman",
            *map(str, args),
        ]

    def podman(self, *args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
        if check:
            return run(self.command(*args))
        return subprocess.run(self.command(*args), capture_output=True, text=True, check=False)


@contextmanager
def engine(shared: Sequence[Path]) -> Iterator[Engine]:
    """Install the engine if needed and hold its namespace for the duration."""
    root = ensure_engine_root()
    for tool in ("unshare", "nsenter"):
        if shutil.which(tool) is None:
            raise EngineUnavailable(f"{tool} (util-linux) is not on PATH")
    holder = subprocess.Popen(
        [
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "--fork",
            "--kill-child",
            "sh",
            "-c",
            HOLDER_SCRIPT,
            "holder",
            str(root),
            *map(str, shared),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        word, _, pid = holder.stdout.readline().partition(" ")
        if word != "ready":
            holder.wait(timeout=10)
            assert holder.stderr is not None
            raise EngineUnavailable(
                f"cannot enter the engine's mount namespace: {holder.stderr.read()}"
            )
        session = Engine(int(pid))
        session.podman("info", "--format", "{{.Host.OCIRuntime.Name}}")
        yield session
    finally:
        holder.kill()
        holder.wait()
