from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffleaveConfig(AppConfig):
    name = "jiedu.staffleave"
    label = "staffleave"
    verbose_name = _("Staff on rotation leave")
