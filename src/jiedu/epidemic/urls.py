from django.urls import path

from jiedu.epidemic import views

app_name = "epidemic"

urlpatterns = [
    path("policies/", views.policy_list, name="policy_list"),
]
