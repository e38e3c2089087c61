from django.db import transaction
from django.shortcuts import get_object_or_404
from rest_framework import status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.pagination import StandardResultsSetPagination
from core.permissions import IsAgent, IsAgentOrReadOnly, IsManager, is_agent
from escalations.tasks import start_escalation

from .models import Comment, SLAPolicy, Tag, Ticket, clear_sla_cache
from .permissions import CanAssignTickets, CanEscalateTickets, IsRequesterOrAgent
from .serializers import (
    AssignSerializer,
    CommentSerializer,
    EscalateSerializer,
    SLAPolicySerializer,
    TagSerializer,
    TicketDetailSerializer,
    TicketSerializer,
)
from .tasks import recalculate_sla_deadlines


class TicketViewSet(viewsets.ModelViewSet):
    queryset = Ticket.objects.select_related("requester", "assignee__user", "team").prefetch_related("tags")
    serializer_class = TicketSerializer
    permission_classes = [IsAuthenticated, IsRequesterOrAgent]
    pagination_class = StandardResultsSetPagination

    def get_serializer_class(self):
        if self.action == "retrieve":
            return TicketDetailSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        qs = super().get_queryset()
        user = self.request.user
        if not is_agent(user):
            qs = qs.filter(requester=user)
        status_param = self.request.query_params.get("status")
        if status_param:
            qs = qs.filter(status__in=status_param.split(","))
        return qs

    def perform_create(self, serializer):
        serializer.save(requester=self.request.user, channel=Ticket.Channel.API)

    def perform_destroy(self, instance):
        # Tickets are never hard-deleted from the API.
        instance.close()

    @action(detail=True, methods=["post"], permission_classes=[IsAgent, CanAssignTickets])
    def assign(self, request, pk=None):
        ticket = self.get_object()
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agent = serializer.validated_data["agent"]
        if not agent.has_capacity():
            return Response({"detail": "Agent has no capacity left."}, status=status.HTTP_409_CONFLICT)
        with transaction.atomic():
            ticket.assign_to(agent)
            note = serializer.validated_data.get("note")
            if note:
                Comment.objects.create(ticket=ticket, author=request.user, body=note, is_internal=True)
        return Response(TicketSerializer(ticket, context={"request": request}).data)

    @action(detail=True, methods=["post"], permission_classes=[CanEscalateTickets])
    def escalate(self, request, pk=None):
        ticket = self.get_object()
        serializer = EscalateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = start_escalation.delay(ticket.pk, serializer.validated_data["reason"], request.user.pk)
        return Response({"task_id": result.id, "ticket": ticket.reference}, status=status.HTTP_202_ACCEPTED)

    @action(detail=False, methods=["get"])
    def mine(self, request):
        qs = self.get_queryset()
        if is_agent(request.user):
            qs = qs.filter(assignee=request.user.agent)
        page = self.paginate_queryset(qs.open())
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)


class TagViewSet(viewsets.ModelViewSet):
    queryset = Tag.objects.all()
    serializer_class = TagSerializer
    permission_classes = [IsAgentOrReadOnly]
    pagination_class = None
    lookup_field = "slug"


class SLAPolicyViewSet(viewsets.ModelViewSet):
    queryset = SLAPolicy.objects.all()
    serializer_class = SLAPolicySerializer
    permission_classes = [IsManager]

    def perform_update(self, serializer):
        policy = serializer.save()
        clear_sla_cache()
        recalculate_sla_deadlines.delay(policy.pk)


@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
def ticket_comments(request, ticket_id):
    ticket = get_object_or_404(Ticket, pk=ticket_id)
    agent = is_agent(request.user)
    if not agent and ticket.requester_id != request.user.id:
        return Response(status=status.HTTP_404_NOT_FOUND)

    if request.method == "GET":
        comments = ticket.comments.select_related("author")
        if not agent:
            comments = comments.filter(is_internal=False)
        return Response(CommentSerializer(comments, many=True).data)

    serializer = CommentSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    is_internal = serializer.validated_data.get("is_internal", False) and agent
    serializer.save(ticket=ticket, author=request.user, is_internal=is_internal)
    return Response(serializer.data, status=status.HTTP_201_CREATED)
