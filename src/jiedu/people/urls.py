from django.urls import path

from jiedu.people import exports, views

app_name = "people"

urlpatterns = [
    path("residents/", views.resident_list, name="resident_list"),
    path("residents/admit/", views.resident_admit, name="resident_admit"),
    path("residents/export/", exports.resident_export, name="resident_export"),
    path("residents/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/export/", exports.staff_export, name="staff_export"),
]
