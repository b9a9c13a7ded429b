"""Background jobs run by the Celery worker (`celery -A app.tasks.celery_app worker`)."""
