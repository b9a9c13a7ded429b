"""Your team's part of API v1: its endpoint routers and their OpenAPI tags.

The template writes this file once and never updates it (`_skip_if_exists` in its
copier.yml), so what you wire here survives every `copier update`; app/api/v1/router.py and
app/api/openapi.py belong to the template and change with its releases.
"""

from typing import Any

from fastapi import APIRouter

# Your endpoint routers, after the template's: `from app.api.v1.endpoints import orders`,
# then `ROUTERS = (orders.router,)`.
ROUTERS: tuple[APIRouter, ...] = ()

# The OpenAPI tags your routes use, each with a description, shown after the template's:
# `{"name": "orders", "description": "..."}`.
TAGS: list[dict[str, Any]] = []
