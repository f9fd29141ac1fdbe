"""Target-management assessment (目标管理考核): the yearly scheme that turns inspection results and
findings into a score per facility. Scores themselves are never stored: they are derived from
the records each time, every deduction explained line by line (``assessment.domain``).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jiedu.common.models import BaseModel, VersionedModel
from jiedu.organisation import roles
from jiedu.organisation.scoping import RegionWideQuerySet


def _points(name, default):
    return models.DecimalField(name, max_digits=5, decimal_places=1, default=Decimal(default))


class TargetScheme(VersionedModel, BaseModel):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    full_marks = _points(_("full marks"), "100")
    inspection_points = _points(_("points from inspection results"), "70")
    # The rest (full marks − inspection points) is the rectification part, from which findings deduct.
    open_general = _points(_("deduction per open general finding"), "0.5")
    open_serious = _points(_("deduction per open serious finding"), "1")
    open_major = _points(_("deduction per open major hazard"), "2")
    overdue = _points(_("extra deduction per overdue finding"), "1")
    late_rectified = _points(_("deduction per finding rectified late"), "0.2")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("updated by")
    )

    objects = RegionWideQuerySet.as_manager()
    view_action = roles.VIEW_SUPERVISION
    manage_action = roles.MANAGE_STANDARDS

    class Meta:
        verbose_name = _("target-management scheme")
        verbose_name_plural = _("target-management schemes")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(full_marks__gt=Decimal("0")), name="target_scheme_full_marks"),
            models.CheckConstraint(
                condition=Q(inspection_points__gte=Decimal("0")) & Q(inspection_points__lte=F("full_marks")),
                name="target_scheme_inspection_share",
            ),
            models.CheckConstraint(
                condition=Q(open_general__gte=0, open_serious__gte=0, open_major__gte=0, overdue__gte=0, late_rectified__gte=0),
                name="target_scheme_deductions_positive",
            ),
        ]

    def __str__(self):
        return str(self.year)

    @property
    def rectification_points(self) -> Decimal:
        return self.full_marks - self.inspection_points
