from django.urls import path

from jiedu.hygiene import views

app_name = "hygiene"

urlpatterns = [
    path("", views.inspections, name="inspections"),
    path("<int:pk>/correct/", views.inspection_edit, name="inspection_edit"),
    path("export/", views.export, name="export"),
    path("boards/", views.boards, name="boards"),
    path("boards/preview/", views.board_preview, name="board_preview"),
    path("boards/<int:pk>/", views.board_detail, name="board_detail"),
    path("boards/<int:pk>/export/", views.board_export, name="board_export"),
]
