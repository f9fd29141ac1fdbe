from django.contrib.auth import views as auth_views
from django.urls import path

from jiedu.accounts import views, views_security

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("switch-facility/", views.switch_facility, name="switch_facility"),
    path("otp/", views.otp_verify, name="otp_verify"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("otp/setup/qr.svg", views.otp_qr, name="otp_qr"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("security/", views_security.overview, name="security"),
    path("security/unlock/", views_security.unlock, name="security_unlock"),
    path("security/unblock-address/", views_security.unblock_address, name="security_unblock_address"),
    path("security/end-sessions/", views_security.end_sessions, name="security_end_sessions"),
    path("security/reset-second-factor/", views_security.reset_second_factor, name="security_reset_otp"),
]
