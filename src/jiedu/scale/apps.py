from django.apps import AppConfig


class ScaleConfig(AppConfig):
    name = "jiedu.scale"
    verbose_name = "Scale data and benchmarks"
