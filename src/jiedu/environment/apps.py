from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnvironmentConfig(AppConfig):
    name = "jiedu.environment"
    label = "environment"
    verbose_name = _("Ventilation and disinfection")
