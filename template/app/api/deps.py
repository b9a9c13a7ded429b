"""FastAPI dependencies shared by the routers.

Scopes: settings and resources (the database engine and its session factory, HTTP clients)
are application-scoped (built once, by the factory and the lifespan); anything built from
them per call is request-scoped: the unit of work and the services that use it.
"""

from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Depends, Request

from app.core.config import Settings
from app.core.errors import NotFoundError
from app.core.flags import FeatureFlags, Flag
from app.core.resources import Resources
from app.db.session import Database, SessionFactory
from app.db.uow import UnitOfWork
from app.services.users import UserService


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_resources(request: Request) -> Resources:
    resources: Resources = request.app.state.resources
    return resources


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ResourcesDep = Annotated[Resources, Depends(get_resources)]


def get_database(resources: ResourcesDep) -> Database:
    return resources.database


DatabaseDep = Annotated[Database, Depends(get_database)]


def get_session_factory(database: DatabaseDep) -> SessionFactory:
    """The one override point tests need to run requests inside their own transaction."""
    return database.session_factory


async def get_unit_of_work(
    session_factory: Annotated[SessionFactory, Depends(get_session_factory)],
) -> AsyncIterator[UnitOfWork]:
    async with UnitOfWork(session_factory) as uow:
        yield uow


# scope="function": commit before the response is sent, so a failed commit is the
# response (an error), never a 200 for changes that were lost.
UnitOfWorkDep = Annotated[UnitOfWork, Depends(get_unit_of_work, scope="function")]


def get_user_service(uow: UnitOfWorkDep) -> UserService:
    return UserService(uow)


UserServiceDep = Annotated[UserService, Depends(get_user_service)]


def get_feature_flags(request: Request) -> FeatureFlags:
    flags: FeatureFlags = request.app.state.feature_flags
    return flags


FeatureFlagsDep = Annotated[FeatureFlags, Depends(get_feature_flags)]


def require_feature(flag: Flag) -> Callable[[FeatureFlags], None]:
    """A dependency that hides an endpoint (404) while `flag` is off."""

    def check(flags: FeatureFlagsDep) -> None:
        if not flags.is_enabled(flag):
            raise NotFoundError(f"The '{flag}' feature is not available")

    return check
