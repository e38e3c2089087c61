from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("exports/", views.ExportListView.as_view(), name="exports"),
    path("exports/new/", views.request_export, name="export-create"),
    path("exports/<int:pk>/download/", views.download_export, name="export-download"),
]
