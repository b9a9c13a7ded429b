"""Jinja tests used by copier.yml validators."""

import re
from collections.abc import Mapping

from jinja2 import Environment
from jinja2.ext import Extension

# RFC 1123 label, as Kubernetes requires for names; a letter first so it is also a fine
# distribution and image name.
K8S_NAME = re.compile(r"^[a-z][a-z0-9-]{0,61}[a-z0-9]$")
# Pragmatic address check: one @, no spaces, a dot in the domain. Real delivery is the only
# full check, so this refuses typos without refusing valid rare forms.
EMAIL_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
# Copier casts any word to a bool ("maybe" is true), so yes/no questions check the raw answer.
YES_NO_SPELLINGS = frozenset({"y", "yes", "true", "on", "1", "n", "no", "false", "off", "0"})


def is_k8s_name(value: object) -> bool:
    return isinstance(value, str) and K8S_NAME.fullmatch(value) is not None


def is_email_address(value: object) -> bool:
    return isinstance(value, str) and EMAIL_ADDRESS.fullmatch(value) is not None


def yes_no_error(data: Mapping[str, object], name: str) -> str:
    """A message when the answer given for `name` (-d, --data-file, data=) is not yes or no.

    Copier renders validators with the already-cast answer, so they receive the raw one
    through `_copier_conf.data`; answers from prompts and answer files are real bools.
    """
    if name not in data:
        return ""
    value = data[name]
    if isinstance(value, bool) or str(value).strip().lower() in YES_NO_SPELLINGS:
        return ""
    return f"{name} must be yes or no (true/false, on/off, 1/0); got '{value}'"


class ValidationExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.tests["k8s_name"] = is_k8s_name
        environment.tests["email_address"] = is_email_address
        environment.filters["yes_no_error"] = yes_no_error
