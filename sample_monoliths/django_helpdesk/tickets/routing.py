from django.urls import path, re_path

from . import consumers

websocket_urlpatterns = [
    re_path(r"^ws/tickets/(?P<ticket_id>\d+)/$", consumers.TicketConsumer.as_asgi()),
    path("ws/tickets/", consumers.TicketConsumer.as_asgi()),
    path("ws/presence/", consumers.AgentPresenceConsumer.as_asgi()),
]
