from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo region (``seed_demo``): no models, only the data and the command that loads it."""

    name = "jiedu.demo"
    label = "demo"
    verbose_name = "Demo region"
