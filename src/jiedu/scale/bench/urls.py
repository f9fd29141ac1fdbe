"""The project's URLs plus one hello-world API view, for the benchmark server only."""

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from jiedu.urls import handler400, handler403, handler404, handler500  # noqa: F401  (the same error answers)
from jiedu.urls import urlpatterns as project_urlpatterns


class HelloView(APIView):
    """The reference for request overhead: the API's authentication, permission and throttle
    classes and the whole middleware stack, and a view that does nothing."""

    def post(self, request):
        return Response({"hello": "world"}, status=201)


urlpatterns = [path("bench/hello/", HelloView.as_view(), name="bench-hello"), *project_urlpatterns]
