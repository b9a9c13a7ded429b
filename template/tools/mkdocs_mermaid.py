"""MkDocs hook: the site serves Mermaid's script itself, fetched from npm at build time.

Material for MkDocs draws ```mermaid fences with the page's global `mermaid` when one is
loaded, and otherwise fetches it from a CDN. This hook adds a copy served by the site to
`extra_javascript`, so the built site draws its diagrams offline and under a strict
Content-Security-Policy. The copy is not committed (.gitignore): a build writes it with
`npm pack` (npm checks the package's integrity against the registry) when it is missing.
"""

import shutil
import subprocess  # nosec B404 - runs npm with fixed arguments, no shell
import tarfile
import tempfile
from pathlib import Path
from typing import Any

# The major version Material for MkDocs draws with (its CDN fallback loads mermaid@11).
MERMAID_VERSION = "11.17.2"
ASSET = f"assets/javascripts/mermaid-{MERMAID_VERSION}.min.js"
SCRIPT_IN_PACKAGE = "package/dist/mermaid.min.js"


def on_config(config: Any) -> Any:
    """Loads the site's own Mermaid on every page, writing it first if it is missing."""
    target = Path(config["docs_dir"]) / ASSET
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_script_from_npm())
    config["extra_javascript"].append(ASSET)
    return config


def _script_from_npm() -> bytes:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit(
            f"The docs draw diagrams with Mermaid {MERMAID_VERSION}, fetched with npm at build "
            f"time: install Node.js (npm), or copy its dist/mermaid.min.js to docs/{ASSET}"
        )
    with tempfile.TemporaryDirectory() as scratch:
        packed = subprocess.run(  # noqa: S603  # nosec B603 - our own arguments, no shell
            [npm, "pack", "--silent", f"mermaid@{MERMAID_VERSION}"],
            cwd=scratch,
            capture_output=True,
            text=True,
            check=False,
        )
        if packed.returncode != 0:
            raise SystemExit(f"npm pack mermaid@{MERMAID_VERSION} failed: {packed.stderr.strip()}")
        with tarfile.open(Path(scratch) / packed.stdout.split()[-1]) as package:
            script = package.extractfile(SCRIPT_IN_PACKAGE)
            if script is None:
                raise SystemExit(f"mermaid@{MERMAID_VERSION} has no {SCRIPT_IN_PACKAGE}")
            return script.read()
