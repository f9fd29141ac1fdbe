from django.urls import path

from jiedu.isolation import exports, views

app_name = "isolation"

urlpatterns = [
    path("", views.stay_list, name="stays"),
    path("export/", exports.export_stays, name="export_stays"),
    path("new/", views.stay_new, name="stay_new"),
    path("<int:pk>/", views.stay_detail, name="stay_detail"),
    path("<int:pk>/transfer/", views.stay_transfer, name="stay_transfer"),
    path("<int:pk>/end/", views.stay_end, name="stay_end"),
    path("board/", views.board, name="board"),
    path("prerelease/", views.prerelease_list, name="prerelease"),
    path("prerelease/export/", exports.export_prerelease, name="export_prerelease"),
    path("prerelease/<int:pk>/", views.prerelease_detail, name="prerelease_detail"),
    path("prerelease/<int:pk>/items/", views.record_item, name="record_item"),
    path("prerelease/<int:pk>/handovers/", views.record_handover, name="record_handover"),
    path("prerelease/<int:pk>/release/", views.release, name="release"),
    path("prerelease/<int:pk>/handover.pdf", views.handover_pdf, name="handover_pdf"),
]
