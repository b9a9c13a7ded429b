"""Which features are on for the caller: clients read this to show or hide what depends on a
flag. Signed-in callers get their own state (percentage rollouts, allow-lists)."""

from fastapi import APIRouter

from app.api.auth import OPTIONAL_AUTHENTICATION, OptionalAccount
from app.api.deps import FeatureFlagsDep
from app.api.responses import UNAUTHENTICATED, problem
from app.core.errors import NotFoundError
from app.core.flags import DEFINITIONS, Flag
from app.schemas.features import FeaturePublic

router = APIRouter(prefix="/features", tags=["features"], responses=UNAUTHENTICATED)


def _public(flag: Flag, enabled: bool) -> FeaturePublic:
    return FeaturePublic(name=flag, enabled=enabled, description=DEFINITIONS[flag].description)


@router.get("", openapi_extra=OPTIONAL_AUTHENTICATION)
async def read_features(flags: FeatureFlagsDep, account: OptionalAccount) -> list[FeaturePublic]:
    """Every feature flag with its state for the caller (anonymous: the general state)."""
    states = flags.for_user(account.id if account else None)
    return [_public(flag, enabled) for flag, enabled in states.items()]


@router.get(
    "/{name}",
    responses=problem(404, "No flag has this name"),
    openapi_extra=OPTIONAL_AUTHENTICATION,
)
async def read_feature(
    name: str, flags: FeatureFlagsDep, account: OptionalAccount
) -> FeaturePublic:
    """One feature flag with its state for the caller."""
    if name not in Flag.__members__.values():
        raise NotFoundError(f"No feature flag is named '{name}'")
    flag = Flag(name)
    return _public(flag, flags.is_enabled(flag, account.id if account else None))
