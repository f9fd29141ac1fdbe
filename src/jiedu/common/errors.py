"""Errors that services raise and every interface (API, pages, commands) turns into a message."""

from django.core.exceptions import PermissionDenied


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
