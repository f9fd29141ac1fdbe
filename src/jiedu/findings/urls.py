from django.urls import path

from jiedu.findings import views

app_name = "findings"

urlpatterns = [
    path("", views.finding_list, name="list"),
    path("export/", views.export, name="export"),
    path("new/", views.record, name="record"),
    path("overdue/", views.overdue, name="overdue"),
    path("rates/", views.rates, name="rates"),
    path("rates/export/", views.rates_export, name="rates_export"),
    path("measures/", views.measures, name="measures"),
    path("measures/<int:pk>/complete/", views.complete_measure, name="complete_measure"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
