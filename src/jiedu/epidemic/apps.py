from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EpidemicConfig(AppConfig):
    name = "jiedu.epidemic"
    label = "epidemic"
    verbose_name = _("Epidemic control")
