"""Every dependency of every route is a coroutine: FastAPI runs a plain `def` dependency in
its thread pool, a hand-off to another thread on each request for work that takes less
time than the hand-off."""

import inspect

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts


def runs_on_the_event_loop(call: object) -> bool:
    # Security schemes (HTTPBearer) are instances of a class with an async __call__.
    return any(
        inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function)
        for function in (call, type(call).__call__)
    )


def threaded(dependant: Dependant) -> list[str]:
    found = []
    for sub in dependant.dependencies:
        if sub.call is not None and not runs_on_the_event_loop(sub.call):
            found.append(getattr(sub.call, "__qualname__", repr(sub.call)))
        found += threaded(sub)
    return found


def test_no_route_depends_on_a_plain_function(documented_app: FastAPI) -> None:
    routes = [
        route
        for route in iter_route_contexts(documented_app.routes)
        if isinstance(route.original_route, APIRoute)
    ]

    assert routes
    assert {
        route.path_format: threaded(route.dependant)
        for route in routes
        if threaded(route.dependant)
    } == {}
