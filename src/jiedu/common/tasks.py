"""Background jobs (django-tasks); a daily cron or systemd timer runs the command or enqueues this."""

from django_tasks import task

from jiedu.common import idempotency


@task()
def purge_idempotency_keys() -> int:
    return idempotency.purge_idempotency_keys()
