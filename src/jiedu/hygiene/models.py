"""Hygiene inspections of departments (环境卫生检查, "四位一体") and the honour roll and exposure
board (光荣榜、曝光台) published from them for a period.

A published board is a record of what was announced: its entries are copied at publication and
never recomputed, even if an inspection of the period is corrected later.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedu.common.models import VersionedModel
from jiedu.organisation import roles
from jiedu.organisation.scoping import FacilityScopedModel


class HygieneInspection(VersionedModel, FacilityScopedModel):
    department = models.ForeignKey(
        "organisation.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    inspected_on = models.DateField(_("inspected on"))
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1)
    problems = models.TextField(_("problems found"), blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=pgettext_lazy("hygiene", "inspector")
    )

    view_action = roles.VIEW_SUPERVISION
    manage_action = roles.RECORD_HYGIENE

    class Meta:
        verbose_name = _("hygiene inspection")
        verbose_name_plural = _("hygiene inspections")
        ordering = ["-inspected_on", "department", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=Decimal("0")) & Q(score__lte=Decimal("100")), name="hygiene_score_range"
            ),
            models.UniqueConstraint(fields=["department", "inspected_on"], name="hygiene_one_per_department_day"),
        ]

    def __str__(self):
        return f"{self.department} · {self.inspected_on}"


class HygieneBoard(FacilityScopedModel):
    """The honour roll and exposure board of one facility for one period."""

    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    honour_threshold = models.DecimalField(
        _("honour roll from"), max_digits=4, decimal_places=1, default=Decimal("95"),
        help_text=_("Departments averaging at least this score go on the honour roll."),
    )  # fmt: skip
    exposure_threshold = models.DecimalField(
        _("exposure board below"), max_digits=4, decimal_places=1, default=Decimal("75"),
        help_text=_("Departments averaging below this score, or with a failed inspection, are exposed."),
    )  # fmt: skip
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    note = models.TextField(_("note"), blank=True)

    view_action = roles.VIEW_SUPERVISION
    manage_action = roles.RECORD_HYGIENE

    class Meta:
        verbose_name = _("hygiene board")
        verbose_name_plural = _("hygiene boards")
        ordering = ["facility", "-period_start"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="hygiene_board_period"),
            models.CheckConstraint(
                condition=Q(exposure_threshold__lt=F("honour_threshold")), name="hygiene_board_thresholds"
            ),
            models.UniqueConstraint(fields=["facility", "period_start", "period_end"], name="hygiene_board_unique"),
        ]

    def __str__(self):
        return f"{self.facility} · {self.period_start}–{self.period_end}"


class HygieneBoardEntry(FacilityScopedModel):
    class Board(models.TextChoices):
        HONOUR = "honour", _("Honour roll")
        EXPOSURE = "exposure", _("Exposure board")

    board = models.ForeignKey(HygieneBoard, on_delete=models.CASCADE, related_name="entries", verbose_name=_("board"))
    department = models.ForeignKey(
        "organisation.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    listed_on = models.CharField(_("list"), max_length=10, choices=Board.choices)
    average_score = models.DecimalField(_("average score"), max_digits=4, decimal_places=1)
    inspections = models.PositiveSmallIntegerField(_("inspections"))
    reason = models.CharField(_("reason"), max_length=200)

    view_action = roles.VIEW_SUPERVISION
    manage_action = roles.RECORD_HYGIENE

    class Meta:
        verbose_name = _("hygiene board entry")
        verbose_name_plural = _("hygiene board entries")
        ordering = ["board", "listed_on", "-average_score"]
        constraints = [
            models.UniqueConstraint(fields=["board", "department"], name="hygiene_board_entry_unique"),
            models.CheckConstraint(condition=Q(listed_on__in=["honour", "exposure"]), name="hygiene_board_list"),
            models.CheckConstraint(condition=Q(inspections__gt=0), name="hygiene_board_entry_inspected"),
        ]

    def __str__(self):
        return f"{self.board} · {self.department}"
