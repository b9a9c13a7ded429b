"""Run-time overrides of the declared feature flags, set by administrators."""

import uuid

import structlog

from app.core.business_metrics import BusinessMetrics, FlagChange
from app.core.flags import Flag, FlagOverride
from app.crud.uow import UnitOfWork

logger = structlog.get_logger("app.feature_flags")


class FeatureFlagService:
    def __init__(self, uow: UnitOfWork, *, metrics: BusinessMetrics) -> None:
        self.uow = uow
        self.metrics = metrics

    async def set_override(self, flag: Flag, override: FlagOverride, *, by: uuid.UUID) -> None:
        """Stores the override; every instance applies it within the cache TTL. Audited."""
        before = (await self.uow.feature_flags.overrides()).get(flag)
        await self.uow.feature_flags.put(flag, override, by=by)
        logger.info(
            "feature_flag.override_set",
            flag=str(flag),
            admin_id=str(by),
            before=_describe(before),
            after=_describe(override),
        )
        self.metrics.feature_flag_changed(FlagChange.SET)

    async def remove_override(self, flag: Flag, *, by: uuid.UUID) -> None:
        """Back to the configured default. Removing an absent override changes nothing."""
        before = (await self.uow.feature_flags.overrides()).get(flag)
        if before is None:
            return
        await self.uow.feature_flags.remove(flag)
        logger.info(
            "feature_flag.override_removed",
            flag=str(flag),
            admin_id=str(by),
            before=_describe(before),
            after=None,
        )
        self.metrics.feature_flag_changed(FlagChange.REMOVED)


def _describe(override: FlagOverride | None) -> dict[str, object] | None:
    if override is None:
        return None
    return {
        "enabled": override.enabled,
        "rollout_percent": override.rollout_percent,
        "allowed_users": len(override.allowed_user_ids),
    }
