from django.urls import path

from jiedu.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.year, name="year"),
    path("facilities/<int:pk>/", views.facility, name="facility"),
    path("scheme/", views.scheme, name="scheme"),
    path("export/", views.export, name="export"),
]
