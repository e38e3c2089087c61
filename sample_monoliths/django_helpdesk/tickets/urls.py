from django.urls import include, path

from . import views

app_name = "tickets"

attachment_patterns = [
    path("", views.upload_attachment, name="attachment-upload"),
    path("<int:attachment_id>/", views.download_attachment, name="attachment-download"),
]

urlpatterns = [
    path("", views.TicketListView.as_view(), name="list"),
    path("new/", views.TicketCreateView.as_view(), name="create"),
    path("<int:pk>/", views.TicketDetailView.as_view(), name="detail"),
    path("<int:pk>/comment/", views.add_comment, name="comment"),
    path("<int:pk>/close/", views.close_ticket, name="close"),
    path("<int:pk>/attachments/", include(attachment_patterns)),
]
