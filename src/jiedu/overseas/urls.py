from django.urls import path

from jiedu.overseas import views

app_name = "overseas"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("new/", views.entry_new, name="entry_new"),
    path("<int:pk>/", views.entry_detail, name="entry_detail"),
    path("export/", views.export, name="export"),
]
