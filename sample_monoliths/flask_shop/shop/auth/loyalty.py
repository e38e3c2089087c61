"""Loyalty points: one point per whole dollar of merchandise."""
import logging

from celery import shared_task

from shop.extensions import db
from shop.orders.models import Order
from shop.signals import order_placed

log = logging.getLogger(__name__)

POINTS_PER_DOLLAR = 1


def points_for(subtotal_cents):
    return (subtotal_cents // 100) * POINTS_PER_DOLLAR


@shared_task(bind=True, max_retries=3, default_retry_delay=30)
def award_loyalty_points(self, order_id):
    order = db.session.get(Order, order_id)
    if order is None:
        log.warning("award_loyalty_points: order %s vanished", order_id)
        return 0
    points = points_for(order.subtotal_cents)
    order.user.loyalty_points = (order.user.loyalty_points or 0) + points
    db.session.commit()
    return points


@order_placed.connect
def _on_order_placed(sender, order_id, **extra):
    award_loyalty_points.delay(order_id)
