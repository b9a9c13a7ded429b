"""Run-time feature flag overrides; administrators only. Each change is logged and counted,
and reaches every instance within FEATURE_FLAGS_CACHE_TTL_SECONDS."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status

from app.api.auth import get_current_admin, require
from app.api.deps import FeatureFlagServiceDep
from app.api.responses import AUTHENTICATED, FORBIDDEN, problem
from app.api.state import flag_overrides_of
from app.core.errors import NotFoundError
from app.core.flags import Flag
from app.core.permissions import Permission
from app.crud.accounts import Account
from app.schemas.features import FeatureOverridePublic, FeatureOverrideUpdate

router = APIRouter(
    prefix="/admin/features",
    tags=["admin"],
    dependencies=[Depends(get_current_admin)],
    responses=AUTHENTICATED | FORBIDDEN | problem(404, "No flag has this name"),
)
ManagingAdmin = Annotated[Account, Depends(require(Permission.FEATURES_MANAGE))]


def _declared(name: str) -> Flag:
    if name not in Flag.__members__.values():
        raise NotFoundError(f"No feature flag is named '{name}'")
    return Flag(name)


def _invalidate(request: Request) -> None:
    # This instance at once; the others within their cache TTL.
    cache = flag_overrides_of(request.app)
    cache.invalidate()


@router.put("/{name}")
async def put_feature_override(
    name: str,
    body: FeatureOverrideUpdate,
    request: Request,
    flags: FeatureFlagServiceDep,
    admin: ManagingAdmin,
) -> FeatureOverridePublic:
    """Override a flag at run time (replaces any earlier override of it)."""
    flag = _declared(name)
    await flags.set_override(flag, body.to_override(), by=admin.id)
    _invalidate(request)
    return FeatureOverridePublic(name=flag, **body.model_dump())


@router.delete("/{name}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_feature_override(
    name: str, request: Request, flags: FeatureFlagServiceDep, admin: ManagingAdmin
) -> None:
    """Remove a flag's override: back to its configured default."""
    await flags.remove_override(_declared(name), by=admin.id)
    _invalidate(request)
