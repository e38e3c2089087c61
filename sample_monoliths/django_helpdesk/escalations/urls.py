from django.urls import path

from . import views

app_name = "escalations"

urlpatterns = [
    path("", views.EscalationListView.as_view(), name="list"),
    path("<int:pk>/status/", views.escalation_status, name="status"),
    path("approve/<uuid:token>/", views.approval_detail, name="approval"),
    path("approve/<uuid:token>/confirm/", views.approve_escalation, name="approve"),
    path("approve/<uuid:token>/reject/", views.reject_escalation, name="reject"),
]
