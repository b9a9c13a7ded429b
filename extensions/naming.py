"""Filters that derive machine names from human input."""

import re
import unicodedata

from jinja2 import Environment
from jinja2.ext import Extension


def slugify(value: str) -> str:
    """Lowercase ASCII words joined by dashes, trimmed to a valid Kubernetes name length."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug.lstrip("0123456789-")  # Kubernetes names start with a letter
    return slug[:63].rstrip("-")


def python_identifier(value: str) -> str:
    """The slug as a Python identifier (dashes become underscores)."""
    return slugify(value).replace("-", "_")


class NamingExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["slugify"] = slugify
        environment.filters["python_identifier"] = python_identifier
