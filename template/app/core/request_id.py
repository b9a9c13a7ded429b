"""The request id: the client's X-Request-ID when it is safe, else a generated one.

`ObservedRequestMiddleware` sets it in `correlation_id` (logs, problem bodies and Sentry read
it there) and echoes it in the answer's X-Request-ID header. Byte-level: it runs on every
request, probes included, so it decodes one header at most and builds no header objects.
"""

import random
import re

HEADER = b"x-request-id"
# Ingresses and clients send ids of their own (not only UUIDs); one that could break a log
# line or a header is replaced by a generated id, and only the generated one is logged.
SAFE_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")


def _generated() -> bytes:
    # 128 random bits as 32 hex digits: a UUID4's randomness, without building a UUID. A
    # correlation id, not a secret: Python's generator (seeded by the OS, and again in every
    # forked worker) rather than a system call on every request (docs/performance.md).
    return b"%032x" % random.getrandbits(128)  # nosec B311


def request_id_of(headers: list[tuple[bytes, bytes]]) -> bytes:
    for name, value in headers:
        if name == HEADER:
            return value if SAFE_REQUEST_ID.fullmatch(value) else _generated()
    return _generated()
