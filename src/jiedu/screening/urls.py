from django.urls import path

from jiedu.screening import views

app_name = "screening"

urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("mine/", views.own_form, name="own_form"),
    path("new/", views.round_create, name="round_create"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("export/", views.export, name="export"),
]
