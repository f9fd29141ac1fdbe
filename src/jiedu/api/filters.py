"""Filter backend whose choice filters accept only ids the caller may see.

Without it, ``?facility=<another facility's id>`` answers 200 with no rows while an unknown id
answers 400: the difference would tell which ids exist elsewhere. Here both are the same 400.
"""

from django_filters import ModelChoiceFilter, ModelMultipleChoiceFilter, utils
from django_filters.rest_framework import DjangoFilterBackend

from jiedu.api.input_checks import PAGINATION_PARAMETERS, check_filter_query, refuse_repeated


class ScopedFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        for declared in filterset.filters.values():
            if isinstance(declared, (ModelChoiceFilter, ModelMultipleChoiceFilter)):
                model = _model_of(declared)
                if model is not None and hasattr(model.objects, "visible_to"):
                    declared.queryset = model.objects.visible_to(request.user)
        return filterset

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            refuse_repeated(request.query_params, PAGINATION_PARAMETERS)
            return queryset
        check_filter_query(request.query_params, filterset.filters)
        if not filterset.is_valid():
            raise utils.translate_validation(filterset.errors)
        return filterset.qs


def _model_of(declared):
    queryset = declared.extra.get("queryset")
    if queryset is not None and hasattr(queryset, "model"):
        return queryset.model
    return None
