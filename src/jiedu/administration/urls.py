from django.urls import path

from jiedu.administration import views

app_name = "administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/create/", views.account_create, name="account_create"),
    path("accounts/grant/", views.membership_grant, name="membership_grant"),
    path("accounts/revoke/", views.membership_revoke, name="membership_revoke"),
    path("accounts/disable/", views.account_disable, name="account_disable"),
    path("accounts/enable/", views.account_enable, name="account_enable"),
    path("audit-chain/", views.audit_chain, name="audit_chain"),
]
