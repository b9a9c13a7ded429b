"""The docs pages load their scripts, styles and icons from the service, never a third party."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import httpx
import pytest


class _AssetReferences(HTMLParser):
    """Every address a page makes the browser fetch: script src, link href, img src."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "link": "href", "img": "src"}.get(tag)
        self.urls += [value for name, value in attrs if name == wanted and value]


def asset_references(html: str) -> list[str]:
    parser = _AssetReferences()
    parser.feed(html)
    return parser.urls


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_the_docs_pages_reference_no_other_host(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)

    urls = asset_references(response.text)
    assert urls  # the parser found the bundles
    assert [url for url in urls if urlsplit(url).netloc or urlsplit(url).scheme] == []
    assert all(url.startswith("/docs/assets/") for url in urls)


@pytest.mark.parametrize(
    ("path", "content_types"),
    [
        ("/docs", {"text/javascript", "text/css", "image/png"}),
        ("/redoc", {"text/javascript", "image/png"}),
    ],
)
async def test_every_asset_a_docs_page_references_is_served(
    client: httpx.AsyncClient, path: str, content_types: set[str]
) -> None:
    page = await client.get(path)

    answers = [await client.get(url) for url in asset_references(page.text)]

    assert [answer.status_code for answer in answers] == [200] * len(answers)
    assert {answer.headers["content-type"].split(";")[0] for answer in answers} == content_types


async def test_swagger_ui_sends_the_schema_to_no_validator(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")

    assert '"validatorUrl": null' in response.text


async def test_an_unknown_asset_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs/assets/no-such-bundle.js")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
