from django.dispatch import Signal
from django.utils import timezone

from .models import SLATimer

# Sent by the escalation workflow once a ticket has been handed to tier 2.
# kwargs: ticket, level, request
ticket_escalated = Signal()

# Sent when a manager approves or rejects an escalation. kwargs: request, approved
escalation_decided = Signal()

PAUSED_STATES = ("pending", "on_hold")
STOPPED_STATES = ("resolved", "closed")


def sync_sla_timer(sender, instance, created, **kwargs):
    """Keep the ticket's SLA timer in step with its status (connected in EscalationsConfig.ready)."""
    now = timezone.now()
    if created:
        SLATimer.objects.create(
            ticket=instance,
            started_at=instance.created_at,
            response_due_at=instance.first_response_due_at,
            resolution_due_at=instance.resolution_due_at,
        )
        return
    timer = SLATimer.objects.filter(ticket=instance).first()
    if timer is None or timer.stopped_at is not None:
        return
    if instance.status in STOPPED_STATES:
        timer.stopped_at = now
    elif instance.status in PAUSED_STATES and timer.paused_at is None:
        timer.paused_at = now
    elif instance.status not in PAUSED_STATES and timer.paused_at is not None:
        timer.paused_seconds += int((now - timer.paused_at).total_seconds())
        timer.paused_at = None
    timer.response_due_at = instance.first_response_due_at
    timer.resolution_due_at = instance.resolution_due_at
    timer.save()
