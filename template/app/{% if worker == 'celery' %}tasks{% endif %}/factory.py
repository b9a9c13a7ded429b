"""Builds the Celery app from the settings; no module-level state, so tests build their own."""

from celery import Celery

from app.core.config.worker import WorkerSettings

# Modules whose tasks every worker registers; add yours here.
TASK_MODULES = ["app.tasks.ping", "app.tasks.sms"]


def create_celery_app(settings: WorkerSettings) -> Celery:
    broker_url = settings.celery_broker_url.get_secret_value()
    prefix = settings.celery_queue_prefix
    celery_app = Celery(settings.project_name, include=TASK_MODULES)
    if not broker_url:
        # Development without Redis: .delay() runs the task in-process and returns its result.
        celery_app.conf.update(
            broker_url="memory://", task_always_eager=True, task_eager_propagates=True
        )
        return celery_app
    # Keys of the broker and of the results share the prefix, so deployments (and test runs)
    # sharing one Redis never see each other's queues, results or control messages.
    key_prefix = {"global_keyprefix": prefix} if prefix else {}
    celery_app.conf.update(
        broker_url=broker_url,
        result_backend=broker_url,
        broker_transport_options=dict(key_prefix),
        result_backend_transport_options=dict(key_prefix),
        task_default_queue=f"{prefix}celery",
        broker_connection_retry_on_startup=True,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        # A task interrupted by a deploy is redelivered rather than lost: tasks must be idempotent.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        # The service configures logging itself (structlog, JSON lines).
        worker_hijack_root_logger=False,
    )
    return celery_app
