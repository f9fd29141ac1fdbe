from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "jiedu.common"
    label = "common"
