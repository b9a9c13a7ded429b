"""Version 1 of the public API; each feature includes its endpoint router here."""

from fastapi import APIRouter

v1_router = APIRouter(prefix="/v1")
