"""Background jobs (django-tasks). django-tasks has no scheduler of its own: a daily cron or
systemd timer runs ``python -m jiedu disable-idle-accounts`` (or enqueues this task)."""

from django_tasks import task

from jiedu.accounts import services


@task()
def disable_idle_accounts() -> list[str]:
    """等保 8.1.4.2c: logins idle over JIEDU_ACCOUNT_IDLE_DAYS days are disabled; returns their names."""
    return services.disable_idle_accounts()
