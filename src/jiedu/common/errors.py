"""Errors that services raise and every interface (API, pages, commands) turns into a message."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused the operation. ``field`` names the input it concerns, if any."""

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class AccessDenied(PermissionDenied):
    """The actor's role does not allow ``action`` on ``facility``. Audited by the interface."""

    def __init__(self, action: str, facility_id: int | None):
        super().__init__(action)
        self.action = action
        self.facility_id = facility_id


class StaleVersion(DomainError):
    """The record changed after the caller read it: the write was refused and nothing was saved.

    ``current`` is the record as it is now, for the interface to show beside what was sent
    (the API answers 409 with it; pages show both side by side).
    """

    def __init__(self, current, message=None):
        super().__init__(
            message
            or _(
                "Someone else changed this record after you opened it. Nothing was saved: "
                "compare the current values with yours, then save again."
            ),
            code="stale",
        )
        self.current = current
