import os
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Sum
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import ListView

from core.permissions import agent_required
from tickets.models import Ticket

from .models import DailyTicketStats, ReportExport
from .tasks import export_tickets_csv


@login_required
@agent_required
@require_GET
def dashboard(request):
    since = timezone.localdate() - timedelta(days=int(request.GET.get("days", 30)))
    totals = DailyTicketStats.objects.filter(date__gte=since, team__isnull=True).aggregate(
        created=Sum("created_count"),
        resolved=Sum("resolved_count"),
        breached=Sum("breached_count"),
        escalated=Sum("escalated_count"),
    )
    return JsonResponse(
        {
            "since": since.isoformat(),
            "totals": totals,
            "open_now": Ticket.objects.open().count(),
            "breaching_now": Ticket.objects.breaching().count(),
        }
    )


class ExportListView(LoginRequiredMixin, ListView):
    template_name = "reporting/export_list.html"
    context_object_name = "exports"

    def get_queryset(self):
        return ReportExport.objects.filter(requested_by=self.request.user)[:50]


@login_required
@agent_required
@require_POST
def request_export(request):
    kind = request.POST.get("kind", ReportExport.Kind.TICKETS)
    if kind not in ReportExport.Kind.values:
        return JsonResponse({"error": "unknown export kind"}, status=400)
    export = ReportExport.objects.create(
        kind=kind,
        requested_by=request.user,
        params={k: v for k, v in request.POST.items() if k in ("status", "since")},
    )
    export_tickets_csv.delay(export.pk)
    return JsonResponse({"id": export.pk, "status": export.status}, status=202)


@login_required
def download_export(request, pk):
    export = get_object_or_404(ReportExport, pk=pk, requested_by=request.user)
    if export.status != ReportExport.Status.DONE:
        raise Http404("Export not ready")
    path = os.path.join(settings.MEDIA_ROOT, export.file_path)
    return FileResponse(open(path, "rb"), as_attachment=True, filename=os.path.basename(path))
