from django.urls import path

from jiedu.environment import views

app_name = "environment"

urlpatterns = [
    path("", views.today, name="today"),
    path("areas/<int:pk>/record/", views.record, name="record"),
    path("records/<int:pk>/retract/", views.retract, name="retract"),
    path("compliance/", views.compliance, name="compliance"),
    path("areas/", views.areas, name="areas"),
    path("areas/<int:pk>/edit/", views.area_edit, name="area_edit"),
    path("areas/<int:pk>/unmark/", views.area_unmark, name="area_unmark"),
    path("log/", views.log, name="log"),
    path("log/export/", views.export, name="export"),
]
