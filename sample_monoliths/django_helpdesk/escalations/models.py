import uuid

from django.conf import settings
from django.db import models

from core.models import TimeStampedModel


class SLATimer(models.Model):
    """Wall-clock SLA state per ticket; paused while waiting on the customer."""

    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.CASCADE, related_name="sla_timer")
    started_at = models.DateTimeField()
    response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    breached_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"SLA timer for ticket {self.ticket_id}"

    @property
    def is_running(self):
        return self.stopped_at is None and self.paused_at is None


class EscalationRequest(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Notifying team lead"
        AWAITING_APPROVAL = "awaiting_approval", "Waiting for manager approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        EXPIRED = "expired", "Expired"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    OPEN_STATES = (Status.PENDING, Status.AWAITING_APPROVAL, Status.APPROVED)

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="escalation_requests")
    level = models.PositiveSmallIntegerField(default=1)
    reason = models.CharField(max_length=500)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team_lead = models.ForeignKey(
        "accounts.Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="escalations_to_review"
    )
    target_team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL)
    new_assignee = models.ForeignKey(
        "accounts.Agent", null=True, blank=True, on_delete=models.SET_NULL, related_name="escalations_received"
    )
    approval_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    approval_requested_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="escalation_decisions"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Escalation L{self.level} of ticket {self.ticket_id} ({self.status})"


class EscalationStep(models.Model):
    request = models.ForeignKey(EscalationRequest, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(max_length=50)
    status = models.CharField(max_length=20, default="done")
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
