from rest_framework import permissions

from core.permissions import is_agent, is_manager


class IsRequesterOrAgent(permissions.BasePermission):
    """Customers only see their own tickets; agents see everything."""

    def has_object_permission(self, request, view, obj):
        if is_agent(request.user):
            return True
        if obj.requester_id == request.user.id or obj.watchers.filter(pk=request.user.pk).exists():
            return request.method in permissions.SAFE_METHODS or view.action == "partial_update"
        return False


class CanAssignTickets(permissions.BasePermission):
    message = "You are not allowed to assign tickets."

    def has_permission(self, request, view):
        return is_manager(request.user) or request.user.has_perm("tickets.assign_ticket")


class CanEscalateTickets(permissions.BasePermission):
    def has_permission(self, request, view):
        return is_agent(request.user) and request.user.has_perm("tickets.escalate_ticket")
