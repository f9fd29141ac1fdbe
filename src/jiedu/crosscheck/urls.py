from django.urls import path

from jiedu.crosscheck import views

app_name = "crosscheck"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("save/", views.save, name="save"),
    path("runs/", views.runs, name="runs"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/export/", views.export_run, name="export_run"),
]
