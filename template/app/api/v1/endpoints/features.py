"""Which features are on: clients read this to show or hide what depends on a flag."""

from fastapi import APIRouter

from app.api.deps import FeatureFlagsDep
from app.api.responses import problem
from app.core.errors import NotFoundError
from app.core.flags import DEFINITIONS, Flag
from app.schemas.features import FeaturePublic

router = APIRouter(prefix="/features", tags=["features"])


def _public(flag: Flag, enabled: bool) -> FeaturePublic:
    return FeaturePublic(name=flag, enabled=enabled, description=DEFINITIONS[flag].description)


@router.get("")
async def read_features(flags: FeatureFlagsDep) -> list[FeaturePublic]:
    """Every feature flag with its state in this deployment."""
    return [_public(flag, enabled) for flag, enabled in flags.states.items()]


@router.get("/{name}", responses=problem(404, "No flag has this name"))
async def read_feature(name: str, flags: FeatureFlagsDep) -> FeaturePublic:
    """One feature flag with its state in this deployment."""
    if name not in Flag.__members__.values():
        raise NotFoundError(f"No feature flag is named '{name}'")
    flag = Flag(name)
    return _public(flag, flags.is_enabled(flag))
