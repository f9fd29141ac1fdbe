from django.urls import path

from jiedu.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("epidemic/panel/", views.epidemic, name="epidemic"),
    path("epidemic/staff-panel/", views.staff_health, name="staff_health"),
    path("standards/panel/", views.standards, name="standards"),
]
