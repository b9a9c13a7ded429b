"""FastAPI dependencies shared by the routers.

Scopes: settings and resources (the database engine and its session factory, HTTP clients)
are application-scoped (built once, by the factory and the lifespan); anything built from
them per call is request-scoped: the unit of work and the services that use it.
"""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from app.core.config import Settings
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
