from django.urls import path

from jiedu.organisation import views

app_name = "organisation"

urlpatterns = [
    path("facilities/", views.facility_list, name="facility_list"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility_detail"),
    path("stations/", views.station_list, name="station_list"),
]
