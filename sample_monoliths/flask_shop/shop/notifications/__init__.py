"""Email / SMS preferences and the tasks that send customer messages.

Views are imported by ``shop.register_blueprints`` (see ``shop.orders``).
"""
from flask import Blueprint

notifications_bp = Blueprint("notifications", __name__, url_prefix="/account/notifications")
