"""The rendered docs site, built as CI builds it and opened in a real headless browser
(Debian's chromium): Mermaid fences become diagrams with the site's own copy of Mermaid (every
host but 127.0.0.1 is unreachable to the browser, so no CDN can help), and the home page names
the service."""

import http.server
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from tests.combinations import defaults
from tests.harness.checks import CheckFailed, ProjectChecker
from tests.harness.preload import PreloadServer
from tests.harness.render import render

# The flags that make Debian's chromium start quietly on a closed network (no background
# connections, no first-run work), plus a resolver that only knows this machine.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--virtual-time-budget=10000",  # lets the page's scripts finish before the dump
    "--window-size=1280,1600",
)
MERMAID_SOURCE = re.compile(r'<pre class="mermaid"')
MERMAID_DRAWN = re.compile(r'<div class="mermaid">')  # Material swaps in its SVG host


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.fail(
            "chromium is not on PATH: `python -m tests.harness.machine` installs it "
            "(Debian package chromium), as .ci/run does"
        )
    return path


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, superset_environments: dict[str, Path]
) -> Iterator[tuple[str, Path]]:
    """The default answers' site, built with --strict and served on 127.0.0.1."""
    base = tmp_path_factory.mktemp("docs-site")
    project = render(base / "project", defaults())
    checker = ProjectChecker(project, superset_environments["3.12"], base / "mypy-cache")
    built = base / "site"
    checker.build_docs(built)
    handler = partial(QuietHandler, directory=str(built))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_address[1]}", built
        server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # the standard library names it so
        pass


def browse(url: str, profile: Path, *options: str) -> subprocess.CompletedProcess[str]:
    profile.mkdir()
    return subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *options, url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


@pytest.mark.parametrize("page", ["", "authentication/", "architecture/"])
def test_mermaid_fences_become_diagrams(site: tuple[str, Path], page: str, tmp_path: Path) -> None:
    base_url, built = site
    fences = len(MERMAID_SOURCE.findall((built / page / "index.html").read_text()))
    assert fences > 0, f"{page or 'the home page'} has no mermaid fence to draw"

    dom = browse(f"{base_url}/{page}", tmp_path / "profile", "--dump-dom").stdout

    # Material replaces each <pre class="mermaid"> only once mermaid.render gave it an SVG.
    assert MERMAID_SOURCE.findall(dom) == []
    assert len(MERMAID_DRAWN.findall(dom)) == fences
    assert re.search(r'<script src="[./]*assets/javascripts/mermaid-[0-9.]+\.min\.js"', dom)


def test_home_page_names_the_service_and_screenshot_shows_it(
    site: tuple[str, Path], tmp_path: Path
) -> None:
    base_url, _ = site
    screenshot = tmp_path / "home.png"

    dom = browse(f"{base_url}/", tmp_path / "profile", "--dump-dom").stdout
    browse(f"{base_url}/", tmp_path / "profile-shot", f"--screenshot={screenshot}")

    assert re.search(r'<h1 id="my-service">My Service<', dom), "the home page's title"
    assert "<title>My Service</title>" in dom
    assert "──" not in dom  # no box-drawing diagram that scrolls sideways on a phone
    assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert screenshot.stat().st_size > 20_000  # a drawn page, not a blank one


def test_a_broken_link_fails_the_docs_check(
    tmp_path: Path, superset_environments: dict[str, Path], preload_server: PreloadServer
) -> None:
    """--strict only fails on the warnings mkdocs prints: the check must not silence them."""
    project = render(tmp_path / "project", defaults())
    with (project / "docs" / "team.md").open("a") as page:
        page.write("\nSee [the plan](nowhere.md).\n")
    checker = ProjectChecker(
        project, superset_environments["3.12"], tmp_path / "mypy-cache", preload=preload_server
    )
    with pytest.raises(CheckFailed, match=r"nowhere\.md"):
        checker.build_docs(tmp_path / "site")
