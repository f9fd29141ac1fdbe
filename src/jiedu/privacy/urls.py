from django.urls import path

from jiedu.privacy import views

app_name = "privacy"

urlpatterns = [
    path("residents/<int:pk>/reveal/", views.reveal_resident, name="reveal_resident"),
    path("staff/<int:pk>/reveal/", views.reveal_staff, name="reveal_staff"),
    path("access-log/", views.access_log, name="access_log"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/request/", views.approval_request, name="approval_request"),
    path("approvals/decide/", views.approval_decide, name="approval_decide"),
]
