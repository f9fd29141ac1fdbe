"""One error shape for the API: 400 with field errors, messages in the request's language.

DomainError and Django ValidationError from services become 400 (409 for a conflict with another
record); StaleVersion (the record changed since the client read it) becomes 409 with the record as
it is now under ``current``, in the view's own output shape, so the client can merge and resend;
AccessDenied becomes 403 and is audited (after the failed transaction has rolled back, so the
denial itself is kept).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from jiedu.audit.services import record_denial
from jiedu.common.errors import AccessDenied, DomainError, StaleVersion

NON_FIELD = "non_field_errors"


def domain_error_body(exc: DomainError) -> dict:
    return {exc.field or NON_FIELD: [str(exc.message)]}


def django_validation_body(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {(k if k != "__all__" else NON_FIELD): [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    return {NON_FIELD: [str(m) for m in exc.messages]}


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, StaleVersion):
        view = context["view"]
        return Response(
            {"detail": str(exc.message), "current": view.current_state(exc.current)}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, DomainError):
        return Response(domain_error_body(exc), status=status.HTTP_409_CONFLICT if exc.code == "conflict" else 400)
    if isinstance(exc, DjangoValidationError):
        return Response(django_validation_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, AccessDenied) and request is not None:
        record_denial(actor=request.user, action=exc.action, facility_id=exc.facility_id)
    return drf_exception_handler(exc, context)
