"""Background jobs (django-tasks); a daily cron or systemd timer runs the command or enqueues this."""

from django_tasks import task

from jiedu.api import services


@task()
def purge_idempotency_keys() -> int:
    return services.purge_idempotency_keys()
