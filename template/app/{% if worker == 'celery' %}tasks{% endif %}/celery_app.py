"""The worker's entry point: `celery -A app.tasks.celery_app worker`."""

from app.core.config import get_settings
from app.core.logging import configure_logging
from app.tasks.factory import create_celery_app

settings = get_settings()
configure_logging(
    level=settings.log_level, json=settings.log_json, redact=settings.app_env != "development"
)
celery_app = create_celery_app(settings)
