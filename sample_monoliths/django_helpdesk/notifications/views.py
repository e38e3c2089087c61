from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import UpdateView

from .models import Notification, NotificationPreference


@login_required
@require_GET
def notification_list(request):
    qs = Notification.objects.filter(recipient=request.user, channel=Notification.Channel.IN_APP)
    if request.GET.get("unread"):
        qs = qs.filter(read_at__isnull=True)
    data = [
        {
            "id": n.pk,
            "event": n.event,
            "title": n.title,
            "ticket": n.ticket_id,
            "created_at": n.created_at.isoformat(),
            "read": n.read_at is not None,
        }
        for n in qs[:100]
    ]
    return JsonResponse({"results": data, "unread": qs.filter(read_at__isnull=True).count()})


@login_required
@require_POST
def mark_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification.read_at = timezone.now()
    notification.save(update_fields=["read_at"])
    return JsonResponse({"ok": True})


@login_required
@require_POST
def mark_all_read(request):
    updated = Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return JsonResponse({"updated": updated})


class PreferenceUpdateView(LoginRequiredMixin, UpdateView):
    model = NotificationPreference
    fields = ["email_enabled", "sms_enabled", "slack_enabled", "slack_channel", "digest_weekly"]
    template_name = "notifications/preferences.html"
    success_url = reverse_lazy("notifications:preferences")

    def get_object(self, queryset=None):
        prefs, _ = NotificationPreference.objects.get_or_create(user=self.request.user)
        return prefs
