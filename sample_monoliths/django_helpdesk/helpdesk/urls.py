"""
Root URL configuration.

HTML pages live under their app prefixes; the JSON API is versioned under
/api/v1/ and mostly served by a DRF router.
"""
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.views.generic import RedirectView
from rest_framework.routers import DefaultRouter

from accounts.views import AgentViewSet
from escalations.views import escalation_status
from tickets.api import SLAPolicyViewSet, TagViewSet, TicketViewSet, ticket_comments

router = DefaultRouter()
router.register(r"tickets", TicketViewSet, basename="ticket")
router.register(r"tags", TagViewSet)
router.register(r"sla-policies", SLAPolicyViewSet)
router.register(r"agents", AgentViewSet, basename="agent")


def healthcheck(request):
    return JsonResponse({"status": "ok"})


api_v1_patterns = [
    path("", include(router.urls)),
    path("tickets/<int:ticket_id>/comments/", ticket_comments, name="ticket-comments"),
    path("escalations/<int:pk>/", escalation_status, name="escalation-detail"),
    path("auth/", include("rest_framework.urls", namespace="rest_framework")),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="tickets:list", permanent=False)),
    path("admin/", admin.site.urls),
    path("healthz/", healthcheck, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("tickets/", include("tickets.urls", namespace="tickets")),
    path("kb/", include("knowledge.urls", namespace="knowledge")),
    path("notifications/", include(("notifications.urls", "notifications"), namespace="notifications")),
    path("reports/", include("reporting.urls")),
    path("escalations/", include("escalations.urls", namespace="escalations")),
    path("api/v1/", include(api_v1_patterns)),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
