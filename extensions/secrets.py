"""Fresh secrets for each rendered project, so no two services share a development key."""

import secrets

from jinja2 import Environment
from jinja2.ext import Extension

MIN_SECRET_BYTES = 32


def random_secret(nbytes: int = 48) -> str:
    """A URL-safe random secret of at least 32 bytes of entropy (PyJWT's HMAC minimum)."""
    return secrets.token_urlsafe(max(nbytes, MIN_SECRET_BYTES))


class SecretsExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.globals["random_secret"] = random_secret
