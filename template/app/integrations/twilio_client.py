"""The Twilio REST client, made when the first request to Twilio is.

Importing the SDK's client brings its own HTTP stack (requests, urllib3) that this service never
sends through: a sizeable part of start-up (docs/performance.md). Deferred, it stays out of
start-up and out of every process that never calls Twilio.
"""

from functools import cached_property
from typing import TYPE_CHECKING

import httpx

from app.core.config.twilio import TwilioSettings

if TYPE_CHECKING:
    from twilio.rest import Client

SERVICE = "twilio"


class LazyTwilioClient:
    def __init__(self, settings: TwilioSettings, http: httpx.AsyncClient) -> None:
        self._settings = settings
        self._http = http

    @cached_property
    def rest(self) -> "Client":
        """The SDK's client, whose `*_async` calls go through the shared httpx client."""
        from app.integrations.twilio_http import create_twilio_client

        return create_twilio_client(self._settings, self._http)
