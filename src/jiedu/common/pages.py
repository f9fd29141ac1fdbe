"""Helpers shared by HTML views: routing a service's errors onto a form, and declaring scope."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from jiedu.common.conflicts import show_conflict
from jiedu.common.errors import DomainError, StaleVersion


def scoped(model):
    """Declare which facility-owned model a view's ``pk`` names.

    The scoping contract test reads this attribute to try every such URL as a user of another
    facility; a view taking an id without declaring its model fails that test.
    """

    def decorate(view):
        view.scoped_model = model
        return view

    return decorate


def call_service(form, service, **kwargs):
    """Run ``service``; put a DomainError or ValidationError next to its field. Returns the result or None.

    A record changed meanwhile (StaleVersion) puts the conflict on the form (``common.conflicts``).
    """
    try:
        return service(**kwargs)
    except StaleVersion as exc:
        show_conflict(form, exc)
    except DomainError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    return None
