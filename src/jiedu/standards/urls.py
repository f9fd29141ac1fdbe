from django.urls import path

from jiedu.standards import views

app_name = "standards"

# Catalogue rows are region-wide (no facility owns them): their ids are named version_id,
# area_id and standard_id. ``pk`` routes name a facility's self-assessment (@scoped).
urlpatterns = [
    path("", views.versions, name="versions"),
    path("template/", views.template, name="template"),
    path("versions/new/", views.version_create, name="version_create"),
    path("versions/<int:version_id>/", views.version_detail, name="version_detail"),
    path("versions/<int:version_id>/diff/", views.version_diff, name="version_diff"),
    path("versions/<int:version_id>/publish/", views.version_publish, name="version_publish"),
    path("versions/<int:version_id>/export/", views.version_export, name="version_export"),
    path("versions/<int:version_id>/import/", views.version_import, name="version_import"),
    path("versions/<int:version_id>/import/confirm/", views.import_confirm, name="import_confirm"),
    path("versions/<int:version_id>/areas/new/", views.area_create, name="area_create"),
    path("versions/<int:version_id>/standards/new/", views.standard_create, name="standard_create"),
    path("areas/<int:area_id>/edit/", views.area_edit, name="area_edit"),
    path("areas/<int:area_id>/remove/", views.area_remove, name="area_remove"),
    path("standards/<int:standard_id>/", views.standard_text, name="standard_text"),
    path("standards/<int:standard_id>/edit/", views.standard_edit, name="standard_edit"),
    path("standards/<int:standard_id>/remove/", views.standard_remove, name="standard_remove"),
    path("self-assessments/", views.assessments, name="assessments"),
    path("self-assessments/new/", views.assessment_start, name="assessment_start"),
    path("self-assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("self-assessments/<int:pk>/score/", views.assessment_score, name="assessment_score"),
    path("self-assessments/<int:pk>/summary/", views.assessment_summary, name="assessment_summary"),
    path("self-assessments/<int:pk>/submit/", views.assessment_submit, name="assessment_submit"),
]
