from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import ListView
from rest_framework.decorators import api_view
from rest_framework.response import Response

from core.permissions import is_agent, is_manager, manager_required

from .models import EscalationRequest
from .signals import escalation_decided
from .tasks import resume_after_approval


class EscalationListView(LoginRequiredMixin, UserPassesTestMixin, ListView):
    template_name = "escalations/escalation_list.html"
    context_object_name = "escalations"
    paginate_by = 50

    def test_func(self):
        return is_manager(self.request.user) or is_agent(self.request.user)

    def get_queryset(self):
        qs = EscalationRequest.objects.select_related("ticket", "team_lead__user", "new_assignee__user")
        state = self.request.GET.get("status", EscalationRequest.Status.AWAITING_APPROVAL)
        return qs.filter(status=state) if state != "all" else qs


@login_required
@manager_required
def approval_detail(request, token):
    escalation = get_object_or_404(EscalationRequest.objects.select_related("ticket"), approval_token=token)
    return render(
        request,
        "escalations/approval.html",
        {"escalation": escalation, "steps": escalation.steps.all()},
    )


def _decide(request, token, approved):
    escalation = get_object_or_404(EscalationRequest, approval_token=token)
    if escalation.status != EscalationRequest.Status.AWAITING_APPROVAL:
        return None, JsonResponse({"detail": f"escalation is {escalation.status}"}, status=409)
    escalation.status = EscalationRequest.Status.APPROVED if approved else EscalationRequest.Status.REJECTED
    escalation.approver = request.user
    escalation.decided_at = timezone.now()
    escalation.decision_note = request.POST.get("note", "")[:2000]
    escalation.save(update_fields=["status", "approver", "decided_at", "decision_note", "updated_at"])
    escalation.steps.create(name="approved" if approved else "rejected", detail=escalation.decision_note)
    escalation_decided.send(sender=EscalationRequest, request=escalation, approved=approved)
    return escalation, None


@login_required
@manager_required
@require_POST
def approve_escalation(request, token):
    escalation, error = _decide(request, token, approved=True)
    if error is not None:
        return error
    result = resume_after_approval(escalation.pk)
    return JsonResponse({"status": escalation.status, "workflow": result.id})


@login_required
@manager_required
@require_POST
def reject_escalation(request, token):
    escalation, error = _decide(request, token, approved=False)
    if error is not None:
        return error
    return JsonResponse({"status": escalation.status})


@api_view(["GET"])
def escalation_status(request, pk):
    escalation = get_object_or_404(EscalationRequest, pk=pk)
    if not (is_agent(request.user) or escalation.ticket.requester_id == request.user.id):
        return Response(status=404)
    return Response(
        {
            "id": escalation.pk,
            "ticket": escalation.ticket.reference,
            "level": escalation.level,
            "status": escalation.status,
            "steps": [
                {"name": s.name, "status": s.status, "detail": s.detail, "at": s.created_at}
                for s in escalation.steps.all()
            ],
        }
    )
