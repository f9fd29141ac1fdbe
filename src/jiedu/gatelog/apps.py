from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatelogConfig(AppConfig):
    name = "jiedu.gatelog"
    label = "gatelog"
    verbose_name = _("Gate control")
