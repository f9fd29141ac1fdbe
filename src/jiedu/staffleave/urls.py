from django.urls import path

from jiedu.staffleave import views, views_areas

app_name = "staffleave"

urlpatterns = [
    path("", views.my_report, name="my_report"),
    path("return/", views.my_return, name="my_return"),
    path("missing/", views.missing, name="missing"),
    path("review/", views.review, name="review"),
    path("periods/", views.periods, name="periods"),
    path("export/", views.export, name="export"),
    path("areas/", views_areas.areas, name="areas"),
    path("patrols/", views_areas.patrols, name="patrols"),
    path("patrols/export/", views_areas.export_patrols, name="export_patrols"),
    path("periods/export/", views_areas.export_periods, name="export_periods"),
]
