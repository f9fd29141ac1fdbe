from django.urls import path

from jiedu.gatelog import views

app_name = "gatelog"

urlpatterns = [
    path("", views.gate, name="gate"),
    path("log/", views.log, name="log"),
    path("log/export/", views.export, name="export"),
]
