"""
Report generation. These run on the dedicated "reports" worker because a
weekly run over all tickets takes the better part of an hour.
"""
import csv
import logging
import os
from datetime import datetime, time, timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from accounts.models import Team
from tickets.models import Ticket

from .models import DailyTicketStats, ReportExport

logger = logging.getLogger(__name__)

REPORTS_DIR = "reports"
EXPORTS_DIR = "exports"


def _day_bounds(day):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    return start, start + timedelta(days=1)


def _minutes(delta):
    return round(delta.total_seconds() / 60, 1) if delta else None


def _compute_stats(start, end, team=None):
    tickets = Ticket.objects.all() if team is None else Ticket.objects.filter(team=team)
    created = tickets.filter(created_at__gte=start, created_at__lt=end)
    resolved = tickets.filter(resolved_at__gte=start, resolved_at__lt=end)
    response = created.filter(first_responded_at__isnull=False).aggregate(
        avg=Avg(ExpressionWrapper(F("first_responded_at") - F("created_at"), output_field=DurationField()))
    )["avg"]
    resolution = resolved.aggregate(
        avg=Avg(ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField()))
    )["avg"]
    breached = created.filter(
        Q(first_responded_at__gt=F("first_response_due_at")) | Q(resolved_at__gt=F("resolution_due_at"))
    ).count()
    return {
        "created_count": created.count(),
        "resolved_count": resolved.count(),
        "breached_count": breached,
        "avg_first_response_minutes": _minutes(response),
        "avg_resolution_minutes": _minutes(resolution),
    }


def _write_csv(relative_path, header, rows):
    path = os.path.join(settings.MEDIA_ROOT, relative_path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return path, count


@shared_task(name="helpdesk.reports.daily", time_limit=1800, soft_time_limit=1740)
def generate_daily_report(day=None):
    day = datetime.strptime(day, "%Y-%m-%d").date() if day else timezone.localdate() - timedelta(days=1)
    start, end = _day_bounds(day)
    rows = []
    for team in [None, *Team.objects.active()]:
        stats = _compute_stats(start, end, team)
        DailyTicketStats.objects.update_or_create(date=day, team=team, defaults=stats)
        rows.append([day.isoformat(), team.name if team else "ALL", *stats.values()])
    path, _ = _write_csv(
        os.path.join(REPORTS_DIR, f"daily-{day.isoformat()}.csv"),
        ["date", "team", "created", "resolved", "breached", "avg_first_response_min", "avg_resolution_min"],
        rows,
    )
    logger.info("daily report for %s written to %s", day, path)
    return path


@shared_task(time_limit=3600, soft_time_limit=3500, acks_late=True)
def generate_weekly_report(week_ending=None):
    end_day = datetime.strptime(week_ending, "%Y-%m-%d").date() if week_ending else timezone.localdate()
    start, _ = _day_bounds(end_day - timedelta(days=7))
    end, _ = _day_bounds(end_day)

    per_agent = (
        Ticket.objects.filter(resolved_at__gte=start, resolved_at__lt=end, assignee__isnull=False)
        .values("assignee__user__username", "team__name")
        .annotate(resolved=Count("pk"), escalated=Count("pk", filter=Q(escalation_level__gt=0)))
        .order_by("team__name", "-resolved")
    )
    rows = [[r["team__name"], r["assignee__user__username"], r["resolved"], r["escalated"]] for r in per_agent]
    # Full ticket dump for the BI team: one line per ticket touched during the week.
    touched = Ticket.objects.filter(updated_at__gte=start, updated_at__lt=end).select_related("team", "assignee__user")
    for ticket in touched.iterator(chunk_size=2000):
        rows.append(
            [
                ticket.team.name if ticket.team else "",
                ticket.assignee.user.username if ticket.assignee else "",
                ticket.reference,
                ticket.status,
                ticket.priority,
                ticket.comments.count(),
                ticket.status_changes.count(),
            ]
        )
    path, count = _write_csv(
        os.path.join(REPORTS_DIR, f"weekly-{end_day.isoformat()}.csv"),
        ["team", "agent", "resolved_or_reference", "escalated_or_status", "priority", "comments", "transitions"],
        rows,
    )
    managers = get_user_model().objects.filter(role="manager", is_active=True).exclude(email="")
    if managers:
        message = EmailMessage(
            subject=f"Weekly helpdesk report ({end_day:%d %b %Y})",
            body=f"{count} rows attached.",
            to=[m.email for m in managers],
        )
        message.attach_file(path)
        message.send()
    return path


@shared_task(bind=True, time_limit=1200, soft_time_limit=1140)
def export_tickets_csv(self, export_id):
    export = ReportExport.objects.get(pk=export_id)
    export.status = ReportExport.Status.RUNNING
    export.save(update_fields=["status", "updated_at"])
    params = export.params or {}
    tickets = Ticket.objects.select_related("requester", "assignee__user", "team", "sla_policy")
    if params.get("status"):
        tickets = tickets.filter(status=params["status"])
    if params.get("since"):
        tickets = tickets.filter(created_at__date__gte=params["since"])
    rows = (
        [
            t.reference,
            t.subject,
            t.status,
            t.get_priority_display(),
            t.requester.email,
            t.assignee.user.username if t.assignee else "",
            t.team.name if t.team else "",
            t.sla_policy.name if t.sla_policy else "",
            t.created_at.isoformat(),
            t.resolved_at.isoformat() if t.resolved_at else "",
        ]
        for t in tickets.iterator(chunk_size=1000)
    )
    relative = os.path.join(EXPORTS_DIR, f"{export.kind}-{export.pk}-{timezone.now():%Y%m%d%H%M%S}.csv")
    try:
        _, count = _write_csv(
            relative,
            [
                "reference", "subject", "status", "priority", "requester",
                "assignee", "team", "sla", "created", "resolved",
            ],
            rows,
        )
    except OSError as exc:
        export.status = ReportExport.Status.FAILED
        export.save(update_fields=["status", "updated_at"])
        raise self.retry(exc=exc, countdown=60, max_retries=2)
    export.file_path = relative
    export.row_count = count
    export.status = ReportExport.Status.DONE
    export.finished_at = timezone.now()
    export.save(update_fields=["file_path", "row_count", "status", "finished_at", "updated_at"])
    return relative
