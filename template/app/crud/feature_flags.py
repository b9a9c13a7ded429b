import uuid

from sqlalchemy import delete, select

from app.core.flags import Flag, FlagOverride
from app.crud.base import Repository
from app.models import FeatureFlagOverride


class FeatureFlagOverrideRepository(Repository[FeatureFlagOverride]):
    model = FeatureFlagOverride

    async def overrides(self) -> dict[Flag, FlagOverride]:
        """Every override of a flag the code still declares (a removed flag's row is inert)."""
        rows = await self.session.scalars(select(FeatureFlagOverride))
        declared = set(Flag)
        return {Flag(row.name): _domain(row) for row in rows if row.name in declared}

    async def get_by_name(self, flag: Flag) -> FeatureFlagOverride | None:
        return await self._one_or_none(
            select(FeatureFlagOverride).where(FeatureFlagOverride.name == flag)
        )

    async def put(self, flag: Flag, override: FlagOverride, *, by: uuid.UUID) -> None:
        row = await self.get_by_name(flag)
        if row is None:
            row = FeatureFlagOverride(name=str(flag))
            self.session.add(row)
        row.enabled = override.enabled
        row.rollout_percent = override.rollout_percent
        row.allowed_user_ids = sorted(str(user_id) for user_id in override.allowed_user_ids)
        row.updated_by = by
        await self.session.flush()

    async def remove(self, flag: Flag) -> None:
        await self.session.execute(
            delete(FeatureFlagOverride).where(FeatureFlagOverride.name == flag)
        )


def _domain(row: FeatureFlagOverride) -> FlagOverride:
    return FlagOverride(
        enabled=row.enabled,
        rollout_percent=row.rollout_percent,
        allowed_user_ids=frozenset(uuid.UUID(value) for value in row.allowed_user_ids),
    )
