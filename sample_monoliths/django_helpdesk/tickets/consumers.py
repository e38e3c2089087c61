import json
import logging

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer, WebsocketConsumer
from django.utils import timezone

from accounts.models import Agent
from core.permissions import is_agent

from .models import Ticket

logger = logging.getLogger(__name__)

DASHBOARD_GROUP = "ticket_dashboard"
PRESENCE_GROUP = "agent_presence"

# agent id -> set of channel names; lets the dashboard show who is online
ONLINE_AGENTS = {}


def ticket_group(ticket_id):
    return f"ticket_{ticket_id}"


class TicketConsumer(AsyncJsonWebsocketConsumer):
    """Live updates for one ticket (``/ws/tickets/<id>/``) or the agent dashboard (``/ws/tickets/``)."""

    async def connect(self):
        user = self.scope["user"]
        if user.is_anonymous:
            await self.close(code=4401)
            return
        ticket_id = self.scope["url_route"]["kwargs"].get("ticket_id")
        if ticket_id is not None:
            if not await self._can_view(user, int(ticket_id)):
                await self.close(code=4403)
                return
            self.joined = [ticket_group(ticket_id)]
        else:
            if not await database_sync_to_async(is_agent)(user):
                await self.close(code=4403)
                return
            self.joined = [DASHBOARD_GROUP]
        self.ticket_id = ticket_id
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong", "at": timezone.now().isoformat()})
        elif kind == "typing" and self.ticket_id is not None:
            await self.channel_layer.group_send(
                ticket_group(self.ticket_id),
                {
                    "type": "ticket.typing",
                    "user": self.scope["user"].username,
                    "sender_channel": self.channel_name,
                },
            )
        else:
            await self.send_json({"type": "error", "detail": f"unknown message type {kind!r}"})

    # --- group message handlers -------------------------------------------
    async def ticket_update(self, event):
        await self.send_json({"type": "ticket.update", "ticket": event["ticket"], "event": event["event"]})

    async def ticket_comment(self, event):
        await self.send_json({"type": "ticket.comment", "ticket": event["ticket"], "comment": event["comment"]})

    async def ticket_typing(self, event):
        if event.get("sender_channel") != self.channel_name:
            await self.send_json({"type": "ticket.typing", "user": event["user"]})

    @database_sync_to_async
    def _can_view(self, user, ticket_id):
        if is_agent(user):
            return Ticket.objects.filter(pk=ticket_id).exists()
        return Ticket.objects.filter(pk=ticket_id, requester=user).exists()


class AgentPresenceConsumer(WebsocketConsumer):
    """Heartbeat socket the agent console keeps open; drives the 'who is online' list."""

    def connect(self):
        user = self.scope["user"]
        if not is_agent(user):
            self.close(code=4403)
            return
        self.agent_id = user.agent.pk
        async_to_sync(self.channel_layer.group_add)(PRESENCE_GROUP, self.channel_name)
        self.accept()
        ONLINE_AGENTS.setdefault(self.agent_id, set()).add(self.channel_name)
        Agent.objects.filter(pk=self.agent_id).update(last_seen_at=timezone.now())
        self._broadcast("online")

    def disconnect(self, code):
        agent_id = getattr(self, "agent_id", None)
        if agent_id is None:
            return
        channels = ONLINE_AGENTS.get(agent_id, set())
        channels.discard(self.channel_name)
        if not channels:
            ONLINE_AGENTS.pop(agent_id, None)
            self._broadcast("offline")
        async_to_sync(self.channel_layer.group_discard)(PRESENCE_GROUP, self.channel_name)

    def receive(self, text_data=None, bytes_data=None):
        try:
            message = json.loads(text_data or "{}")
        except json.JSONDecodeError:
            logger.debug("ignoring malformed presence frame")
            return
        if message.get("type") == "heartbeat":
            Agent.objects.filter(pk=self.agent_id).update(last_seen_at=timezone.now())
        elif message.get("type") == "status":
            available = bool(message.get("available"))
            Agent.objects.filter(pk=self.agent_id).update(is_available=available)
            self._broadcast("available" if available else "away")

    def presence_update(self, event):
        self.send(text_data=json.dumps({"type": "presence", "agent": event["agent"], "state": event["state"]}))

    def _broadcast(self, state):
        async_to_sync(self.channel_layer.group_send)(
            PRESENCE_GROUP, {"type": "presence.update", "agent": self.agent_id, "state": state}
        )
