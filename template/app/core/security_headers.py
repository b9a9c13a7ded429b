"""Headers every answer carries so that a browser treats it as data, never as a page.

The API answers JSON only: no script, style or frame may come with it, and no page may frame
it. The docs pages (when served) run Swagger UI and ReDoc from the service's own assets
(app.api.docs_pages): they may load from this origin only, plus what the two need inline
(Swagger UI's start-up script, ReDoc's generated styles, its search worker, data: icons).
"""

from app.core.config import Settings

Headers = tuple[tuple[bytes, bytes], ...]

NO_SNIFF = (b"x-content-type-options", b"nosniff")
API_POLICY = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
DOCS_POLICY = (
    b"content-security-policy",
    b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'",
)
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
