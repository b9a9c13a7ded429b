"""Mounts each API version under its own prefix (URI versioning: /api/v1, /api/v2, ...)."""

from fastapi import APIRouter

from app.api.v1.router import v1_router

api_router = APIRouter(prefix="/api")
api_router.include_router(v1_router)
