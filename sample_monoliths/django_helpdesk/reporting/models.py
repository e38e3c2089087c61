from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from core.models import TimeStampedModel
from escalations.signals import ticket_escalated


class DailyTicketStats(models.Model):
    date = models.DateField(db_index=True)
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_count = models.PositiveIntegerField(default=0)
    resolved_count = models.PositiveIntegerField(default=0)
    breached_count = models.PositiveIntegerField(default=0)
    escalated_count = models.PositiveIntegerField(default=0)
    avg_first_response_minutes = models.FloatField(null=True, blank=True)
    avg_resolution_minutes = models.FloatField(null=True, blank=True)

    class Meta:
        unique_together = [("date", "team")]
        ordering = ["-date"]
        verbose_name_plural = "daily ticket stats"


class TicketStatusChange(models.Model):
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["changed_at"]


class ReportExport(TimeStampedModel):
    class Kind(models.TextChoices):
        TICKETS = "tickets", "All tickets"
        SLA = "sla", "SLA compliance"
        AGENTS = "agents", "Agent performance"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TICKETS)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports")
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    file_path = models.CharField(max_length=500, blank=True, help_text="Relative to MEDIA_ROOT")
    row_count = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


# --- metrics receivers ----------------------------------------------------


@receiver(post_save, sender="tickets.Ticket")
def record_status_change(sender, instance, created, **kwargs):
    previous = "" if created else getattr(instance, "_previous_status", None)
    if previous is None or previous == instance.status:
        return
    TicketStatusChange.objects.create(ticket=instance, from_status=previous, to_status=instance.status)


@receiver(ticket_escalated)
def count_escalation(sender, ticket, level, **kwargs):
    stats, _ = DailyTicketStats.objects.get_or_create(date=timezone.localdate(), team=ticket.team)
    DailyTicketStats.objects.filter(pk=stats.pk).update(escalated_count=F("escalated_count") + 1)
