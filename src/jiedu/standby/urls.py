from django.urls import path

from jiedu.standby import views

app_name = "standby"

urlpatterns = [
    path("", views.shifts, name="shifts"),
    path("<int:pk>/", views.shift_detail, name="shift_detail"),
    path("members/<int:pk>/start-duty/", views.start_duty, name="start_duty"),
    path("members/<int:pk>/remove/", views.remove_member, name="remove_member"),
    path("tests/", views.tests, name="tests"),
    path("tests/export/", views.export, name="export"),
]
