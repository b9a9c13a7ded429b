"""A task with no side effects: shows that a worker takes jobs and returns results."""

from celery import shared_task


@shared_task(name="app.tasks.ping")
def ping() -> str:
    return "pong"
