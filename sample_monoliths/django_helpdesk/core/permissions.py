"""Role checks shared by views, viewsets and consumers."""
from functools import wraps

from django.core.exceptions import PermissionDenied
from rest_framework import permissions


def is_agent(user):
    return bool(user and user.is_authenticated and hasattr(user, "agent"))


def is_manager(user):
    return bool(user and user.is_authenticated and (user.is_superuser or user.role == "manager"))


def is_team_lead(user, team=None):
    if not is_agent(user):
        return False
    led = user.agent.led_teams.all()
    return led.filter(pk=team.pk).exists() if team is not None else led.exists()


def agent_required(view_func):
    """Decorator for function views that only support staff may call."""

    @wraps(view_func)
    def _wrapped(request, *args, **kwargs):
        if not is_agent(request.user):
            raise PermissionDenied("Agents only")
        return view_func(request, *args, **kwargs)

    return _wrapped


def manager_required(view_func):
    @wraps(view_func)
    def _wrapped(request, *args, **kwargs):
        if not is_manager(request.user):
            raise PermissionDenied("Managers only")
        return view_func(request, *args, **kwargs)

    return _wrapped


class IsAgent(permissions.BasePermission):
    message = "Only support agents may do this."

    def has_permission(self, request, view):
        return is_agent(request.user)


class IsAgentOrReadOnly(permissions.BasePermission):
    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return is_agent(request.user)


class IsManager(permissions.BasePermission):
    def has_permission(self, request, view):
        return is_manager(request.user)
