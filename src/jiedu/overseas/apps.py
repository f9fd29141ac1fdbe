from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverseasConfig(AppConfig):
    name = "jiedu.overseas"
    label = "overseas"
    verbose_name = _("Overseas personnel ledger")
