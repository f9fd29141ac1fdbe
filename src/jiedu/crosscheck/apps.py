from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrosscheckConfig(AppConfig):
    name = "jiedu.crosscheck"
    label = "crosscheck"
    verbose_name = _("DingTalk and health-code cross-check")
