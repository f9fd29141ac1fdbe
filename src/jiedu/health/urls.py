from django.urls import path

from jiedu.health import views

app_name = "health"

urlpatterns = [
    path("round/", views.round_entry, name="round"),
    path("overdue/", views.overdue, name="overdue"),
    path("compliance/", views.compliance, name="compliance"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:pk>/accept/", views.alert_accept, name="alert_accept"),
    path("alerts/<int:pk>/recheck/", views.alert_recheck, name="alert_recheck"),
    path("alerts/<int:pk>/dismiss/", views.alert_dismiss, name="alert_dismiss"),
    path("log/", views.reading_log, name="log"),
    path("log/export/", views.reading_export, name="export"),
]
