"""Cart, checkout, order history and the back-office approval queue.

The views are imported by ``shop.register_blueprints``, not here: importing
them from this package made ``shop.orders.models`` circular with
``shop.notifications.tasks``.
"""
from flask import Blueprint

orders_bp = Blueprint("orders", __name__, url_prefix="/orders")
