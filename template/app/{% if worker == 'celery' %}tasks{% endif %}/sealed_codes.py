"""Verification codes sealed for a trip through the task broker (Fernet: AES and an HMAC).

A queued job waits in Redis where anyone who can read the broker could read it; sealed, the
code there is useless without the service's SECRET_KEY, and a sealed code that was altered
or comes from another deployment does not open.
"""

import base64
import hashlib
import hmac
from dataclasses import replace
from functools import cache
from typing import Any

from cryptography.fernet import Fernet

from app.services.sms_delivery import SmsJob


class CodeSeal:
    def __init__(self, secret_key: str) -> None:
        # Derived, not SECRET_KEY itself, so this key exposes none of the secret's other uses.
        key = hmac.new(secret_key.encode(), b"queued-sms-code", hashlib.sha256).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, code: str) -> str:
        return self._fernet.encrypt(code.encode()).decode()

    def open(self, sealed: str) -> str:
        """The code; cryptography.fernet.InvalidToken when `sealed` is not from this key."""
        return self._fernet.decrypt(sealed.encode()).decode()


@cache
def code_seal(secret_key: str) -> CodeSeal:
    """One per key and process: deriving the key and setting up the cipher is per process work."""
    return CodeSeal(secret_key)


def seal_job(job: SmsJob, seal: CodeSeal) -> dict[str, Any]:
    """The job as a task's argument, with its code sealed."""
    return {**job.to_payload(), "code": None if job.code is None else seal.seal(job.code)}


def open_job(payload: dict[str, Any], seal: CodeSeal) -> SmsJob:
    """The job back from a task's argument; InvalidToken when its code does not open."""
    job = SmsJob.from_payload(payload)
    return job if job.code is None else replace(job, code=seal.open(job.code))
