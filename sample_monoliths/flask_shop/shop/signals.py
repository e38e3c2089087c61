"""Domain signals.

Receivers live next to the code that reacts (``catalog.tasks``,
``notifications.tasks``, ``analytics``, ``auth.loyalty``); each one only
enqueues a Celery task so checkout stays fast.
"""
from blinker import Namespace

shop_signals = Namespace()

#: sent by ``orders.services.place_order`` with ``order_id`` and ``total_cents``
order_placed = shop_signals.signal("order-placed")

#: sent by ``orders.tasks.mark_order_fulfilled`` with ``order_id``
order_shipped = shop_signals.signal("order-shipped")
