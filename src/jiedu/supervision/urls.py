from django.urls import path

from jiedu.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.campaigns, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/workload/", views.workload, name="workload"),
    path("teams/new/", views.team_create, name="team_create"),
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/new/", views.inspection_plan, name="inspection_plan"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/start/", views.inspection_start, name="inspection_start"),
    path("inspections/<int:pk>/complete/", views.inspection_complete, name="inspection_complete"),
    path("inspections/<int:pk>/results/", views.inspection_results, name="inspection_results"),
    path("inspections/<int:pk>/evidence/", views.inspection_evidence, name="inspection_evidence"),
    path("inspections/<int:pk>/video-sessions/", views.video_session_create, name="video_session_create"),
    path("inspections/<int:pk>/report.pdf", views.inspection_pdf, name="inspection_pdf"),
    path("inspections/<int:pk>/report.docx", views.inspection_docx, name="inspection_docx"),
    path("video-sessions/<int:pk>/sign-off/", views.video_session_sign_off, name="video_session_sign_off"),
    path("video-sessions/<int:pk>/screenshots/", views.video_session_screenshots, name="video_session_screenshots"),
]
