"""What stands between a code request and a text: the destination policy, then the budgets.

Register, login and resend all pass here before a code is issued, whether or not the number
has an account, so the answer never tells one from the other. Budgets are counted per hour,
narrowest first (the client, the number's prefix, its country, the whole service), so one
noisy client stops at its own cap before it spends anyone else's. The optional Twilio Lookup
of the line type comes last: each lookup is billed, so the budgets bound those too.
"""

import structlog

from app.core.business_metrics import NO_BUSINESS_METRICS, BusinessMetrics, SmsRefusal
from app.core.config import Settings
from app.core.errors import (
    DestinationNotSupportedError,
    ExternalServiceError,
    RateLimitedError,
    SmsBudgetExhaustedError,
)
from app.core.rate_limit import RateLimiter
from app.integrations.phone.line_type import UNKNOWN, LineTypeLookup
from app.services.sms_policy import Destination, SmsDestinationPolicy
from app.utils.phone import mask_phone

logger = structlog.get_logger(__name__)


class SmsGuard:
    def __init__(
        self,
        settings: Settings,
        limiter: RateLimiter,
        *,
        metrics: BusinessMetrics = NO_BUSINESS_METRICS,
        line_types: LineTypeLookup | None = None,
    ) -> None:
        self._settings = settings
        self._line_types = line_types
        self._allowed_line_types = settings.sms_lookup_line_types()
        self._limiter = limiter
        self._metrics = metrics
        self._policy = SmsDestinationPolicy(
            regions=settings.sms_regions(),
            number_types=settings.sms_number_types(),
            prefix_digits=settings.sms_budget_prefix_digits,
        )

    async def admit(self, phone: str, client_ip: str | None) -> None:
        """Count one text to `phone` caused by `client_ip`, or refuse it: 422 outside the
        policy, 429 over a cap, 503 once the service's own budget is spent."""
        try:
            destination = self._policy.destination(phone)
        except DestinationNotSupportedError:
            self._refused(phone)
            raise
        settings = self._settings
        await self._spend(
            destination,
            SmsRefusal.CLIENT,
            settings.sms_budget_per_client_per_hour,
            client_ip or "unknown",
            "Too many codes were requested from your network; retry later",
        )
        await self._spend(
            destination,
            SmsRefusal.PREFIX,
            settings.sms_budget_per_prefix_per_hour,
            destination.prefix,
            "Too many codes were requested for numbers like this one; retry later",
        )
        await self._spend(
            destination,
            SmsRefusal.COUNTRY,
            settings.sms_budget_per_country_per_hour,
            destination.region,
            "Too many codes were requested for this country; retry later",
        )
        try:
            await self._spend(
                destination, SmsRefusal.GLOBAL, settings.sms_budget_global_per_hour, "all", None
            )
        except RateLimitedError as exc:
            raise SmsBudgetExhaustedError(exc.extensions["retry_after"]) from exc
        if self._line_types is not None:
            await self._check_line_type(phone, self._line_types)
        self._metrics.sms_admitted(destination.region)

    async def _check_line_type(self, phone: str, line_types: LineTypeLookup) -> None:
        line_type = await line_types.line_type(phone)
        unchecked = line_type is None or line_type == UNKNOWN
        if unchecked and self._settings.sms_lookup_fail_open:
            logger.warning("sms_lookup_passed_unchecked", phone=mask_phone(phone))
            return
        if line_type is None:
            raise ExternalServiceError("twilio", "The phone number's line type cannot be checked")
        if line_type not in self._allowed_line_types:
            self._refused(phone, line_type=line_type)
            raise DestinationNotSupportedError

    def _refused(self, phone: str, **why: str) -> None:
        self._metrics.sms_destination_refused()
        logger.info("sms_destination_refused", phone=mask_phone(phone), **why)

    async def _spend(
        self,
        destination: Destination,
        cap: SmsRefusal,
        per_hour: int,
        identifier: str,
        detail: str | None,
    ) -> None:
        try:
            await self._limiter.hit(
                f"{per_hour}/hour", f"sms-{cap.value}", identifier, detail=detail
            )
        except RateLimitedError as exc:
            self._metrics.sms_budget_refused(cap, destination.region)
            logger.warning(
                "sms_budget_exceeded",
                cap=cap.value,
                country=destination.region,
                per_hour=per_hour,
                retry_after=exc.extensions["retry_after"],
            )
            raise
