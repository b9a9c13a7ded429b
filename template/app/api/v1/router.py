"""Version 1 of the public API; each feature includes its endpoint router here."""

from fastapi import APIRouter

from app.api.v1.endpoints import features

v1_router = APIRouter(prefix="/v1")
v1_router.include_router(features.router)
