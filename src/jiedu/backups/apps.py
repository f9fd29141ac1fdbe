from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "jiedu.backups"
    label = "backups"
