"""Live order tracking over Socket.IO.

Browsers on the order page connect to the ``/tracking`` namespace and send
``subscribe_order``; every status change in the fulfilment tasks is pushed to
the room ``order-<id>`` through the Redis message queue.
"""
import logging
from collections import defaultdict
from datetime import datetime

from flask import request, session
from flask_socketio import emit, join_room, leave_room

from shop.auth.models import User
from shop.extensions import db, socketio
from shop.orders.models import Order

log = logging.getLogger(__name__)

TRACKING_NAMESPACE = "/tracking"

# sid -> order ids that connection watches (for the back-office "watching" column)
_SUBSCRIPTIONS: dict = defaultdict(set)


def _room(order_id):
    return f"order-{order_id}"


def _status_payload(order):
    return {
        "order_id": order.id,
        "number": order.number,
        "status": order.status,
        "tracking_number": order.shipment.tracking_number if order.shipment else None,
    }


@socketio.on("connect")
def on_connect(auth=None):
    log.debug("socket %s connected (user %s)", request.sid, session.get("user_id"))
    emit("hello", {"authenticated": session.get("user_id") is not None})


@socketio.on("connect", namespace="/tracking")
def on_tracking_connect(auth=None):
    if session.get("user_id") is None:
        return False  # refuse anonymous tracking connections
    join_room(f"user-{session['user_id']}")


@socketio.on("subscribe_order", namespace="/tracking")
def on_subscribe_order(data):
    order = db.session.get(Order, int((data or {}).get("order_id", 0)))
    user = db.session.get(User, session.get("user_id"))
    if order is None or user is None or (order.user_id != user.id and not user.is_admin):
        emit("tracking_error", {"message": "unknown order"})
        return
    join_room(_room(order.id))
    _SUBSCRIPTIONS[request.sid].add(order.id)
    emit("order_status", _status_payload(order))


@socketio.on("unsubscribe_order", namespace="/tracking")
def on_unsubscribe_order(data):
    order_id = int((data or {}).get("order_id", 0))
    leave_room(_room(order_id))
    _SUBSCRIPTIONS[request.sid].discard(order_id)


@socketio.on("disconnect", namespace="/tracking")
def on_tracking_disconnect(reason=None):
    _SUBSCRIPTIONS.pop(request.sid, None)


def push_order_status(order_id, status, **extra):
    """Broadcast a status change to everyone watching the order (web or worker)."""
    payload = {"order_id": order_id, "status": status, "at": datetime.utcnow().isoformat() + "Z"}
    payload.update(extra)
    socketio.emit("order_status", payload, to=_room(order_id), namespace=TRACKING_NAMESPACE)


def watcher_count(order_id):
    return sum(1 for orders in _SUBSCRIPTIONS.values() if order_id in orders)
