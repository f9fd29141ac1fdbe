from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HygieneConfig(AppConfig):
    name = "jiedu.hygiene"
    label = "hygiene"
    verbose_name = _("Hygiene inspections")
