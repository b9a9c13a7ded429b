"""What production log lines must not carry: phone numbers, codes, tokens and secrets.

The service's own events mask phone numbers where they log them; this is the net under
everything else (exception messages, a driver's error text, a library's log line), applied
to each line just before it is written.
"""

import re
from functools import lru_cache
from typing import Any

from structlog.types import EventDict, WrappedLogger

from app.utils.phone import mask_phone

REDACTED = "[redacted]"
# Keys whose value is a credential or a one-time code whatever it looks like; an HTTP status
# or a provider's error code (`status_code`, `error_code`) is what an operator needs to read.
_SENSITIVE_KEY = re.compile(
    r"token|secret|password|passwd|authorization|cookie|api_key|^code$|verification_code|otp",
    re.IGNORECASE,
)
# E.164 numbers (with their +), as drivers, Twilio and validation errors quote them.
_PHONE = re.compile(r"\+[1-9][0-9]{6,14}\b")
# JSON Web Tokens (three base64url parts, the first a JSON object).
_JWT = re.compile(r"\beyJ[\w-]+\.[\w-]+\.[\w-]*")
# `Bearer <anything>` in a quoted header.
_BEARER = re.compile(r"(Bearer\s+)\S+", re.IGNORECASE)
# What each of the three needs to match: most values (levels, paths, ids) hold none of it,
# and one search is cheaper than three substitutions on every line.
_MAYBE_SENSITIVE = re.compile(r"\+[1-9]|eyJ|(?i:bearer)")


@lru_cache(maxsize=1024)
def _is_sensitive_key(key: str) -> bool:
    # Keys repeat from line to line (each line's level, logger, event...).
    return _SENSITIVE_KEY.search(key) is not None


def redact_text(text: str) -> str:
    """`text` with phone numbers masked and tokens replaced."""
    if _MAYBE_SENSITIVE.search(text) is None:
        return text
    text = _JWT.sub(REDACTED, text)
    text = _BEARER.sub(rf"\g<1>{REDACTED}", text)
    return _PHONE.sub(lambda found: mask_phone(found.group()), text)


def _redact(key: str, value: Any) -> Any:
    if _is_sensitive_key(key) and value not in (None, ""):
        return REDACTED
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {name: _redact(str(name), item) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact(key, item) for item in value]
    return value


def redact_sensitive_values(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """structlog processor: run after the traceback is rendered, so it is redacted too."""
    return {key: _redact(key, value) for key, value in event_dict.items()}
