from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.permissions import IsAgent, is_manager

from .models import Agent, Team
from .serializers import AgentSerializer


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    if request.method == "POST":
        user.first_name = request.POST.get("first_name", user.first_name)
        user.last_name = request.POST.get("last_name", user.last_name)
        user.phone = request.POST.get("phone", user.phone)
        user.timezone = request.POST.get("timezone", user.timezone)
        user.save(update_fields=["first_name", "last_name", "phone", "timezone"])
        messages.success(request, "Profile updated.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"profile_user": user})


class TeamListView(LoginRequiredMixin, ListView):
    model = Team
    template_name = "accounts/team_list.html"
    context_object_name = "teams"

    def get_queryset(self):
        return Team.objects.active().select_related("lead__user", "manager")


class TeamDetailView(LoginRequiredMixin, DetailView):
    model = Team
    slug_field = "slug"
    template_name = "accounts/team_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["agents"] = self.object.agents.select_related("user")
        return ctx


class AgentViewSet(viewsets.ReadOnlyModelViewSet):
    """Agents directory used by the assignment picker in the SPA."""

    queryset = Agent.objects.select_related("user", "team")
    serializer_class = AgentSerializer
    permission_classes = [IsAgent]

    def get_queryset(self):
        qs = super().get_queryset()
        team = self.request.query_params.get("team")
        if team:
            qs = qs.filter(team__slug=team)
        return qs

    @action(detail=True, methods=["post"], url_path="availability")
    def toggle_availability(self, request, pk=None):
        agent = self.get_object()
        if agent.user_id != request.user.id and not is_manager(request.user):
            return Response({"detail": "Not allowed"}, status=403)
        agent.is_available = not agent.is_available
        agent.last_seen_at = timezone.now()
        agent.save(update_fields=["is_available", "last_seen_at"])
        return Response(self.get_serializer(agent).data)
