from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "jiedu.dashboard"
    label = "dashboard"
