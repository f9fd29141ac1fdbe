from rest_framework.pagination import PageNumberPagination

from jiedu.api.input_checks import page_size_from


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        # DRF falls back to the default on a bad value; we answer 400 instead (api/input_checks.py).
        requested = page_size_from(request.query_params, self.page_size_query_param, self.max_page_size)
        return self.page_size if requested is None else requested
