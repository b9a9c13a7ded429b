"""Stand-ins for the Dockerfile's base images, under their exact names.

No container registry is reachable from these machines, so the check makes what the Dockerfile
pulls: `python:3.12-slim` as a Debian minbase tree carrying this machine's CPython 3.12 in
/usr/local (like the real image), and the pinned uv image as a scratch image holding `/uv` and
`/uvx` from PyPI's wheel of the same version. Both are cached in the engine's storage.
"""

import re
import shutil
import tarfile
from pathlib import Path

from tests.harness.engine import CACHE, Engine, EngineUnavailable, debootstrap, run
from tests.harness.envs import file_lock

PYTHON_IMAGE = "docker.io/library/python:3.12-slim"
# What CPython's own modules link against (ssl, sqlite3, ctypes, zlib, bz2, lzma, readline...).
PYTHON_RUNTIME_LIBRARIES = [
    "ca-certificates",
    "libssl3",
    "libsqlite3-0",
    "libffi8",
    "zlib1g",
    "libbz2-1.0",
    "liblzma5",
    "libreadline8",
    "libncursesw6",
    "libuuid1",
]


def dockerfile_images(dockerfile: Path) -> list[str]:
    return re.findall(r"^FROM\s+(\S+)", dockerfile.read_text(), flags=re.MULTILINE)


def has_image(engine: Engine, name: str) -> bool:
    return engine.podman("image", "exists", name, check=False).returncode == 0


def python_image(engine: Engine, python312: Path) -> None:
    """A Debian minbase tree with CPython 3.12 relocated into /usr/local."""
    version = run([python312, "-c", "import sys; print(sys.version_info[:2] == (3, 12))"])
    if version.stdout.strip() != "True":
        raise EngineUnavailable(f"{python312} is not a CPython 3.12 (set PYTHON312)")
    prefix = Path(run([python312, "-c", "import sys; print(sys.base_prefix)"]).stdout.strip())
    work = CACHE / "python-image"
    debootstrap("bookworm", work, PYTHON_RUNTIME_LIBRARIES)
    local = work / "usr" / "local"
    (local / "bin").mkdir(parents=True, exist_ok=True)
    shutil.copy2(prefix / "bin" / "python3.12", local / "bin" / "python3.12")
    for name in ("python3", "python"):
        (local / "bin" / name).symlink_to("python3.12")
    for library in (prefix / "lib").glob("libpython3.12*.so*"):
        shutil.copy2(library, local / "lib" / library.name)
    shutil.copytree(
        prefix / "lib" / "python3.12",
        local / "lib" / "python3.12",
        symlinks=True,
        ignore=shutil.ignore_patterns("test", "site-packages", "__pycache__", "idlelib"),
    )
    (local / "lib" / "python3.12" / "site-packages").mkdir()
    run(["chroot", work, "ldconfig"])
    run(["chroot", work, "python3", "-c", "import ssl, sqlite3, ctypes, zlib, lzma, bz2"])
    archive, inside = engine.staged("python-image.tar")
    with tarfile.open(archive, "w") as tar:
        tar.add(work, arcname=".")
    engine.podman(
        "import",
        "--change",
        'CMD ["python3"]',
        "--change",
        "ENV LANG=C.UTF-8",
        inside,
        PYTHON_IMAGE,
    )
    archive.unlink()
    shutil.rmtree(work)


def uv_image(engine: Engine, name: str) -> None:
    """A scratch image holding PyPI's uv binaries of the version the image name pins."""
    version = name.rpartition(":")[2]
    work = CACHE / "uv-image"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    run(
        [
            shutil.which("uv") or "uv",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            work / "wheel",
            "--python-platform",
            "x86_64-manylinux_2_17",
            f"uv=={version}",
        ]
    )
    binaries = work / "root"
    binaries.mkdir()
    for tool in ("uv", "uvx"):
        found = work / "wheel" / "bin" / tool
        if not found.is_file():
            raise EngineUnavailable(f"uv=={version}'s wheel has no {tool}")
        shutil.copy2(found, binaries / tool)
    archive, inside = engine.staged("uv-image.tar")
    with tarfile.open(archive, "w") as tar:
        for tool in ("uv", "uvx"):
            tar.add(binaries / tool, arcname=tool)
    engine.podman("import", inside, name)
    archive.unlink()
    shutil.rmtree(work)


def ensure_base_images(engine: Engine, dockerfile: Path, python312: Path) -> None:
    """Make every base image the Dockerfile names that the engine does not hold yet."""
    with file_lock(CACHE / "base-images.lock"):
        for name in dict.fromkeys(dockerfile_images(dockerfile)):
            if has_image(engine, name):
                continue
            if name.startswith("python:3.12-slim") or name == PYTHON_IMAGE:
                python_image(engine, python312)
            elif name.startswith("ghcr.io/astral-sh/uv:"):
                uv_image(engine, name)
            else:
                raise EngineUnavailable(f"no stand-in for the base image {name}")
