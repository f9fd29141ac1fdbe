"""The one module that decides what a user may see and do, facility by facility.

- ``Model.objects.visible_to(user)`` for every list and count of facility-owned rows;
- ``require(user, action, facility)`` before every write;
- ``get_visible_or_404(Model, user, pk=...)`` for every single-object read: another
  facility's object answers 404, so its existence never leaks, and the attempt is audited.

Views, API and commands never query facility-owned models another way (tests/test_scoping_rules.py).
"""

from __future__ import annotations

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from jiedu.common.errors import AccessDenied
from jiedu.common.models import BaseModel
from jiedu.organisation.roles import actions_for

ALL_FACILITIES = None  # sentinel: the scope is the whole region


def active_memberships(user) -> list:
    """The user's active memberships, loaded once per user object (i.e. once per request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_jiedu_memberships", None)
    if cached is None:
        from jiedu.organisation.models import Membership

        cached = list(Membership.objects.filter(user=user, is_active=True).select_related("facility"))
        user._jiedu_memberships = cached
    return cached


def forget_memberships(user) -> None:
    user.__dict__.pop("_jiedu_memberships", None)


def facility_scope(user, action: str) -> set[int] | None:
    """Facility ids where ``user`` may perform ``action``; ALL_FACILITIES for the whole region."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return ALL_FACILITIES
    ids: set[int] = set()
    for membership in active_memberships(user):
        if action not in actions_for(membership.role):
            continue
        if membership.facility_id is None:
            return ALL_FACILITIES
        ids.add(membership.facility_id)
    return ids


def can(user, action: str, facility_id: int | None) -> bool:
    scope = facility_scope(user, action)
    if scope is ALL_FACILITIES:
        return True
    return facility_id is not None and facility_id in scope


def require(user, action: str, facility) -> None:
    facility_id = getattr(facility, "pk", facility)
    if not can(user, action, facility_id):
        raise AccessDenied(action, facility_id)


def roles_for(user, facility_id: int | None) -> list[str]:
    """Role names that apply to ``facility_id`` (bureau-wide roles apply everywhere)."""
    return sorted(
        {m.role for m in active_memberships(user) if m.facility_id is None or m.facility_id == facility_id}
    )


class FacilityQuerySet(models.QuerySet):
    def visible_to(self, user, action: str | None = None):
        action = action or self.model.view_action
        scope = facility_scope(user, action)
        if scope is ALL_FACILITIES:
            return self
        field = getattr(self.model, "facility_field", "facility")
        lookup = "pk__in" if field == "pk" else f"{field}__in"
        return self.filter(**{lookup: scope})


class RegionOrFacilityQuerySet(models.QuerySet):
    """Rows owned by one facility, or (facility empty) by the whole region: policies and the like.

    A region row is visible to anyone who may see the model in at least one facility.
    """

    def visible_to(self, user, action: str | None = None):
        scope = facility_scope(user, action or self.model.view_action)
        if scope is ALL_FACILITIES:
            return self
        if not scope:
            return self.none()
        return self.filter(models.Q(facility__isnull=True) | models.Q(facility_id__in=scope))


class RegionWideQuerySet(models.QuerySet):
    """Rows the whole region shares (a standards catalogue, the bureau's supervision teams):
    visible to anyone who may perform the view action in at least one facility."""

    def visible_to(self, user, action: str | None = None):
        scope = facility_scope(user, action or self.model.view_action)
        return self if scope is ALL_FACILITIES or scope else self.none()


class FacilityScopedModel(BaseModel):
    """Every facility-owned table: ``facility_id`` is its tenant key."""

    facility = models.ForeignKey(
        "organisation.Facility", on_delete=models.PROTECT, related_name="+", verbose_name=_("facility")
    )

    objects = FacilityQuerySet.as_manager()

    class Meta:
        abstract = True


def get_visible_or_404(model_or_queryset, user, **lookup):
    """One object the user may see, else 404; a hit on an invisible object is audited as denied."""
    if isinstance(model_or_queryset, models.QuerySet):
        queryset, model = model_or_queryset, model_or_queryset.model
    else:
        model = model_or_queryset
        queryset = model.objects.all()
    try:
        return queryset.visible_to(user).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError):
        pass
    hidden = model.objects.filter(**lookup).first() if _lookup_is_safe(lookup) else None
    if hidden is not None:
        from jiedu.audit.services import record_denial

        record_denial(
            actor=user,
            action=model.view_action,
            facility_id=getattr(hidden, "facility_id", None),  # region-wide rows have none
            target=hidden,
        )
    raise Http404


def _lookup_is_safe(lookup) -> bool:
    """Only well-formed ids are looked up again to audit a hidden hit (str() never raises here)."""
    return all(str(v).isascii() and str(v).isdigit() for k, v in lookup.items() if k in {"pk", "id"})
