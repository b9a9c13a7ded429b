"""Jinja tests used by copier.yml validators."""

import re

from jinja2 import Environment
from jinja2.ext import Extension

# RFC 1123 label, as Kubernetes requires for names; a letter first so it is also a fine
# distribution and image name.
K8S_NAME = re.compile(r"^[a-z][a-z0-9-]{0,61}[a-z0-9]$")
# Pragmatic address check: one @, no spaces, a dot in the domain. Real delivery is the only
# full check, so this refuses typos without refusing valid rare forms.
EMAIL_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def is_k8s_name(value: object) -> bool:
    return isinstance(value, str) and K8S_NAME.fullmatch(value) is not None


def is_email_address(value: object) -> bool:
    return isinstance(value, str) and EMAIL_ADDRESS.fullmatch(value) is not None


class ValidationExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.tests["k8s_name"] = is_k8s_name
        environment.tests["email_address"] = is_email_address
