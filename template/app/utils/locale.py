"""The language a client asks for, from its Accept-Language header (RFC 9110, 12.5.4)."""

import re

# A BCP 47 tag as clients send them (`en`, `pt-BR`, `zh-Hant-TW`); 35 characters at most.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,4}")
MAX_TAG_LENGTH = 35


def preferred_locale(accept_language: str | None) -> str | None:
    """The tag the client weights highest (the first among equals); None if none is usable."""
    best: tuple[float, str] | None = None
    for item in (accept_language or "").split(",")[:20]:
        tag, _, params = item.strip().partition(";")
        if len(tag) > MAX_TAG_LENGTH or LANGUAGE_TAG.fullmatch(tag) is None:
            continue
        weight = _weight(params)
        if weight > 0 and (best is None or weight > best[0]):
            best = (weight, tag)
    return None if best is None else best[1]


def _weight(params: str) -> float:
    name, _, value = params.strip().partition("=")
    if name.strip() != "q":
        return 1.0
    try:
        return float(value)
    except ValueError:
        return 0.0
