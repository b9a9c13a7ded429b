"""FastAPI dependencies shared by the routers.

Scopes: settings and resources (the database engine and its session factory, HTTP clients)
are application-scoped (built once, by the factory and the lifespan); anything built from
them per call is request-scoped: the unit of work and the services that use it.

Dependencies are `async def` even when they await nothing: FastAPI runs a plain `def` in its
thread pool, a hop that costs more than the work of most of them (a test holds them to it).
Each endpoint asks for the narrowest service it calls, so a request builds only what it uses.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

from fastapi import BackgroundTasks, Depends, Request, Response

from app.api.state import (
    Resources,
    feature_flags_of,
    flag_overrides_of,
    resources_of,
    settings_of,
)
from app.core.client_network import client_network
from app.core.config import Settings
from app.core.errors import NotFoundError
from app.core.flags import FeatureFlags, Flag, FlagOverride
from app.core.rate_limit import RateLimiter
from app.crud.uow import ReadOnlyUnitOfWork, UnitOfWork
from app.db.session import Database
from app.services.admin import AdminReader, AdminService
from app.services.feature_flags import FeatureFlagService
from app.services.phone_codes import ClientInfo, PhoneCodeService
from app.services.profiles import ProfileService
from app.services.sessions import SessionService
from app.services.sign_in import SignInService
from app.services.sms_guard import SmsGuard
from app.services.users import UserService
from app.services.verification import VerificationService
from app.utils.locale import preferred_locale


async def get_app_settings(request: Request) -> Settings:
    return settings_of(request.app)


async def get_resources(request: Request) -> Resources:
    return resources_of(request.app)


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ResourcesDep = Annotated[Resources, Depends(get_resources)]


async def get_database(resources: ResourcesDep) -> Database:
    return resources.database


DatabaseDep = Annotated[Database, Depends(get_database)]


async def get_unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    """Read-write: one transaction, committed when the handler returns.

    Reads the database from the application's state, not through `DatabaseDep`: every
    request that touches the database resolves this or the read-only one below.
    """
    async with UnitOfWork(resources_of(request.app).database.session_factory) as uow:
        yield uow


async def get_read_only_unit_of_work(request: Request) -> AsyncIterator[ReadOnlyUnitOfWork]:
    """For endpoints that only read: its session refuses every write."""
    async with ReadOnlyUnitOfWork(resources_of(request.app).database.read_session_factory) as uow:
        yield uow


# scope="function": commit before the response is sent, so a failed commit is the
# response (an error), never a 200 for changes that were lost.
UnitOfWorkDep = Annotated[UnitOfWork, Depends(get_unit_of_work, scope="function")]
ReadOnlyUnitOfWorkDep = Annotated[
    ReadOnlyUnitOfWork, Depends(get_read_only_unit_of_work, scope="function")
]


async def get_user_service(uow: UnitOfWorkDep, resources: ResourcesDep) -> UserService:
    return UserService(uow, metrics=resources.business_metrics)


UserServiceDep = Annotated[UserService, Depends(get_user_service)]


async def get_user_reader(uow: ReadOnlyUnitOfWorkDep, resources: ResourcesDep) -> UserService:
    """The user service for endpoints that only read."""
    return UserService(uow, metrics=resources.business_metrics)


UserReaderDep = Annotated[UserService, Depends(get_user_reader)]


async def get_rate_limiter(resources: ResourcesDep) -> RateLimiter:
    return resources.rate_limiter


RateLimiterDep = Annotated[RateLimiter, Depends(get_rate_limiter)]


def client_ip(request: Request) -> str:
    """The caller's address. Behind a proxy, uvicorn takes it from X-Forwarded-For only when
    FORWARDED_ALLOW_IPS names the proxy; otherwise every client shares the proxy's address."""
    return request.client.host if request.client else "unknown"


def forbid_caching(response: Response) -> None:
    """Route-level, on answers that carry tokens: no cache or proxy may keep them (RFC 6749
    section 5.1; Pragma for HTTP/1.0 caches)."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"


def client_rate_limit_key(request: Request) -> str:
    """Who a per-client rate limit counts: the caller's IPv4 address or IPv6 /64. Every
    per-client limit uses this key, so no limit can be dodged by another address of one /64."""
    return client_network(client_ip(request))


async def rate_limit_auth_ip(
    request: Request, settings: SettingsDep, limiter: RateLimiterDep
) -> None:
    """Router-level: every /auth request counts against AUTH_RATE_LIMIT_PER_IP."""
    await limiter.hit(settings.auth_rate_limit_per_ip, "auth-ip", client_rate_limit_key(request))


async def get_session_service(
    uow: UnitOfWorkDep, settings: SettingsDep, resources: ResourcesDep
) -> SessionService:
    return SessionService(uow, settings, resources.token_state, metrics=resources.business_metrics)


SessionServiceDep = Annotated[SessionService, Depends(get_session_service)]


async def get_profile_service(uow: UnitOfWorkDep) -> ProfileService:
    return ProfileService(uow)


ProfileServiceDep = Annotated[ProfileService, Depends(get_profile_service)]


async def get_profile_reader(uow: ReadOnlyUnitOfWorkDep) -> ProfileService:
    """The profile service for endpoints that only read."""
    return ProfileService(uow)


ProfileReaderDep = Annotated[ProfileService, Depends(get_profile_reader)]


async def get_admin_service(uow: UnitOfWorkDep, sessions: SessionServiceDep) -> AdminService:
    return AdminService(uow, sessions)


AdminServiceDep = Annotated[AdminService, Depends(get_admin_service)]


async def get_admin_reader(uow: ReadOnlyUnitOfWorkDep) -> AdminReader:
    """The admin service for endpoints that only read: no session service, since a reader
    signs no one out."""
    return AdminReader(uow)


AdminReaderDep = Annotated[AdminReader, Depends(get_admin_reader)]


async def get_client_info(request: Request) -> ClientInfo:
    return ClientInfo(
        ip=client_ip(request),
        # Cut to the column's size: a header is whatever the client chose to send.
        user_agent=request.headers.get("user-agent", "")[:512] or None,
        locale=preferred_locale(request.headers.get("accept-language")),
    )


ClientInfoDep = Annotated[ClientInfo, Depends(get_client_info)]


async def get_verification_service(
    uow: UnitOfWorkDep, settings: SettingsDep, limiter: RateLimiterDep, resources: ResourcesDep
) -> VerificationService:
    return VerificationService(uow, settings, limiter, metrics=resources.business_metrics)


VerificationServiceDep = Annotated[VerificationService, Depends(get_verification_service)]


async def get_phone_code_service(
    uow: UnitOfWorkDep,
    settings: SettingsDep,
    resources: ResourcesDep,
    verification: VerificationServiceDep,
    background_tasks: BackgroundTasks,
) -> PhoneCodeService:
    return PhoneCodeService(
        uow,
        verification=verification,
        phone_provider=resources.phone_provider,
        sms=resources.sms,
        # Background tasks run once the response is out, so after the request's commit.
        after_commit=background_tasks,
        guard=SmsGuard(
            settings,
            resources.rate_limiter,
            metrics=resources.business_metrics,
            line_types=resources.line_types,
        ),
        metrics=resources.business_metrics,
    )


PhoneCodeServiceDep = Annotated[PhoneCodeService, Depends(get_phone_code_service)]


async def get_sign_in_service(
    uow: UnitOfWorkDep,
    resources: ResourcesDep,
    verification: VerificationServiceDep,
    sessions: SessionServiceDep,
    users: UserServiceDep,
) -> SignInService:
    return SignInService(
        uow,
        verification=verification,
        phone_provider=resources.phone_provider,
        sessions=sessions,
        users=users,
        metrics=resources.business_metrics,
    )


SignInServiceDep = Annotated[SignInService, Depends(get_sign_in_service)]


async def get_feature_flags(request: Request, uow: ReadOnlyUnitOfWorkDep) -> FeatureFlags:
    """The configured flags with the run-time overrides in force (app.core.flag_cache)."""
    configured = feature_flags_of(request.app)
    cache = flag_overrides_of(request.app)

    async def load() -> dict[Flag, FlagOverride]:
        return await uow.feature_flags.overrides()

    return configured.with_overrides(await cache.get(load))


FeatureFlagsDep = Annotated[FeatureFlags, Depends(get_feature_flags)]


def require_feature(flag: Flag) -> Callable[[FeatureFlags], Awaitable[None]]:
    """A dependency that hides an endpoint (404) while `flag` is off (for everyone: it is
    checked before any sign-in, so rollouts and allow-lists do not apply)."""

    async def check(flags: FeatureFlagsDep) -> None:
        if not flags.is_enabled(flag):
            raise NotFoundError(f"The '{flag}' feature is not available")

    return check


async def get_feature_flag_service(
    uow: UnitOfWorkDep, resources: ResourcesDep
) -> FeatureFlagService:
    return FeatureFlagService(uow, metrics=resources.business_metrics)


FeatureFlagServiceDep = Annotated[FeatureFlagService, Depends(get_feature_flag_service)]
