"""
Ticket escalation workflow.

    SLA breach / agent request
      -> start_escalation
      -> snapshot_ticket -> notify_team_lead -> request_manager_approval
      ... waits until a manager calls escalations.views.approve_escalation ...
      -> resume_after_approval:
           reassign_to_tier2 -> [notify_customer | notify_new_assignee | notify_team_lead_done]
           -> finalize_escalation
"""
import logging
from datetime import timedelta

from celery import chain, chord, group, shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agent, Team
from notifications.tasks import notify_user
from tickets.models import Ticket

from .models import EscalationRequest, EscalationStep
from .signals import ticket_escalated

logger = logging.getLogger(__name__)


class NoAgentAvailable(Exception):
    pass


def _log_step(request, name, status="done", detail=""):
    EscalationStep.objects.create(request=request, name=name, status=status, detail=detail)


def _tier2_team(ticket):
    slug = settings.HELPDESK["TIER2_TEAM_SLUG"]
    return Team.objects.active().filter(slug=slug).first() or Team.objects.active().filter(tier=2).first()


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def start_escalation(self, ticket_id, reason, requested_by_id=None):
    ticket = Ticket.objects.select_related("team__lead").get(pk=ticket_id)
    if EscalationRequest.objects.filter(ticket=ticket, status__in=EscalationRequest.OPEN_STATES).exists():
        logger.info("ticket %s already has an open escalation", ticket.reference)
        return None
    request = EscalationRequest.objects.create(
        ticket=ticket,
        level=ticket.escalation_level + 1,
        reason=reason,
        requested_by_id=requested_by_id,
        team_lead=ticket.team.lead if ticket.team else None,
        target_team=_tier2_team(ticket),
    )
    _log_step(request, "started", detail=reason)
    workflow = chain(
        snapshot_ticket.s(request.pk),
        notify_team_lead.s(),
        request_manager_approval.si(request.pk),
    )
    workflow.apply_async()
    return request.pk


@shared_task
def snapshot_ticket(request_id):
    request = EscalationRequest.objects.select_related("ticket", "team_lead__user").get(pk=request_id)
    ticket = request.ticket
    return {
        "request_id": request.pk,
        "reference": ticket.reference,
        "subject": ticket.subject,
        "priority": ticket.get_priority_display(),
        "age_hours": round((timezone.now() - ticket.created_at).total_seconds() / 3600, 1),
        "team_lead_user_id": request.team_lead.user_id if request.team_lead else None,
        "reason": request.reason,
    }


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def notify_team_lead(self, snapshot):
    request = EscalationRequest.objects.get(pk=snapshot["request_id"])
    if snapshot["team_lead_user_id"] is None:
        _log_step(request, "notify_team_lead", "skipped", "team has no lead")
        return snapshot
    notify_user.delay(
        snapshot["team_lead_user_id"],
        "escalation_started",
        f"[{snapshot['reference']}] escalation requested",
        f"{snapshot['subject']} ({snapshot['priority']}, open {snapshot['age_hours']}h): {snapshot['reason']}",
    )
    _log_step(request, "notify_team_lead")
    return snapshot


def _approval_managers(request):
    team = request.ticket.team
    if team is not None and team.manager_id:
        return [team.manager]
    return list(get_user_model().objects.filter(role="manager", is_active=True))


@shared_task
def request_manager_approval(request_id):
    request = EscalationRequest.objects.select_related("ticket__team__manager").get(pk=request_id)
    request.status = EscalationRequest.Status.AWAITING_APPROVAL
    request.approval_requested_at = timezone.now()
    request.save(update_fields=["status", "approval_requested_at", "updated_at"])
    link = settings.HELPDESK["SITE_URL"] + reverse("escalations:approval", args=[request.approval_token])
    for manager in _approval_managers(request):
        notify_user.delay(
            manager.pk,
            "escalation_approval",
            f"Approval needed: escalate {request.ticket.reference} to tier {request.level + 1}",
            f"{request.reason}\nApprove or reject: {link}",
            request.ticket_id,
        )
    _log_step(request, "approval_requested")
    # The workflow stops here; approve_escalation() resumes it.


def resume_after_approval(request_id):
    """Second half of the workflow, started by the approval view."""
    return chain(
        reassign_to_tier2.si(request_id),
        chord(
            group(
                notify_customer.si(request_id),
                notify_new_assignee.si(request_id),
                notify_team_lead_done.si(request_id),
            ),
            finalize_escalation.s(request_id),
        ),
    ).apply_async()


def _pick_tier2_agent(request):
    candidates = Agent.objects.filter(is_available=True, tier__gte=2).select_related("user")
    if request.target_team_id:
        candidates = candidates.filter(team_id=request.target_team_id)
    for agent in candidates.order_by("last_seen_at"):
        if agent.has_capacity():
            return agent
    return None


@shared_task(bind=True, max_retries=5, default_retry_delay=300)
def reassign_to_tier2(self, request_id):
    request = EscalationRequest.objects.select_related("ticket").get(pk=request_id)
    agent = _pick_tier2_agent(request)
    if agent is None:
        _log_step(request, "reassign", "retrying", f"attempt {self.request.retries + 1}")
        if self.request.retries >= self.max_retries:
            request.status = EscalationRequest.Status.FAILED
            request.save(update_fields=["status", "updated_at"])
        raise self.retry(exc=NoAgentAvailable(f"no tier-2 agent for request {request_id}"))
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=request.ticket_id)
        ticket.assign_to(agent, save=False)
        ticket.status = Ticket.Status.ESCALATED
        ticket.escalation_level = request.level
        ticket.save(update_fields=["assignee", "team", "status", "escalation_level", "updated_at"])
        request.new_assignee = agent
        request.save(update_fields=["new_assignee", "updated_at"])
        _log_step(request, "reassign", detail=f"assigned to {agent}")
    ticket_escalated.send(sender=EscalationRequest, ticket=ticket, level=request.level, request=request)
    return agent.pk


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def notify_customer(self, request_id):
    request = EscalationRequest.objects.select_related("ticket__requester").get(pk=request_id)
    ticket = request.ticket
    notify_user.delay(
        ticket.requester_id,
        "ticket_escalated_customer",
        f"[{ticket.reference}] Your request has been escalated",
        "A senior specialist is now looking at your request. We will get back to you shortly.",
        ticket.pk,
    )
    return "customer"


@shared_task
def notify_new_assignee(request_id):
    request = EscalationRequest.objects.select_related("new_assignee", "ticket").get(pk=request_id)
    if request.new_assignee is None:
        return None
    notify_user.delay(
        request.new_assignee.user_id,
        "escalation_assigned",
        f"[{request.ticket.reference}] escalated ticket assigned to you",
        request.reason,
        request.ticket_id,
    )
    return "assignee"


@shared_task
def notify_team_lead_done(request_id):
    request = EscalationRequest.objects.select_related("team_lead", "ticket").get(pk=request_id)
    if request.team_lead is None:
        return None
    notify_user.delay(
        request.team_lead.user_id,
        "escalation_completed",
        f"[{request.ticket.reference}] escalation approved and reassigned",
        f"Now handled by {request.new_assignee}",
        request.ticket_id,
    )
    return "team_lead"


@shared_task
def finalize_escalation(results, request_id):
    request = EscalationRequest.objects.get(pk=request_id)
    request.status = EscalationRequest.Status.COMPLETED
    request.completed_at = timezone.now()
    request.save(update_fields=["status", "completed_at", "updated_at"])
    _log_step(request, "completed", detail=f"notified: {', '.join(r for r in results if r)}")
    return request.pk


@shared_task
def expire_pending_approvals():
    """Remind managers of waiting approvals; give up after two reminders."""
    timeout = timedelta(hours=settings.HELPDESK["APPROVAL_TIMEOUT_HOURS"])
    cutoff = timezone.now() - timeout
    waiting = EscalationRequest.objects.filter(
        status=EscalationRequest.Status.AWAITING_APPROVAL, approval_requested_at__lt=cutoff
    )
    expired = reminded = 0
    for request in waiting:
        if request.reminders_sent >= 2:
            request.status = EscalationRequest.Status.EXPIRED
            request.save(update_fields=["status", "updated_at"])
            _log_step(request, "expired")
            expired += 1
            continue
        request.reminders_sent += 1
        request.save(update_fields=["reminders_sent", "updated_at"])
        request_manager_approval.delay(request.pk)
        reminded += 1
    return {"expired": expired, "reminded": reminded}
