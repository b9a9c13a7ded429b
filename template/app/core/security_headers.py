"""Headers every answer carries so that a browser treats it as data, never as a page.

The API answers JSON only: no script, style or frame may come with it, and no page may frame
it. The docs pages (when served) run Swagger UI and ReDoc, so they get only the headers that
do not stop a page from working.
"""

from app.core.config import Settings

Headers = tuple[tuple[bytes, bytes], ...]

NO_SNIFF = (b"x-content-type-options", b"nosniff")
API_POLICY = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
DOCS_POLICY = (b"content-security-policy", b"frame-ancestors 'none'")
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})


def _transport_security(settings: Settings) -> Headers:
    if not settings.hsts_max_age_seconds:
        return ()
    value = f"max-age={settings.hsts_max_age_seconds}; includeSubDomains"
    return ((b"strict-transport-security", value.encode()),)


def api_headers(settings: Settings) -> Headers:
    return (NO_SNIFF, API_POLICY, *_transport_security(settings))


def docs_headers(settings: Settings) -> Headers:
    return (NO_SNIFF, DOCS_POLICY, *_transport_security(settings))
