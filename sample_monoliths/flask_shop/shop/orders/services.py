"""Order operations shared by the HTML views and the JSON API."""
import logging

from flask import current_app

from shop.extensions import db
from shop.notifications.tasks import send_order_rejected
from shop.orders.models import Order, OrderItem
from shop.orders.tasks import release_stock
from shop.orders.workflow import resume_fulfilment, start_fulfilment
from shop.signals import order_placed
from shop.tracking import push_order_status
from shop.utils import metrics
from shop.utils.money import order_totals

log = logging.getLogger(__name__)


class CheckoutError(Exception):
    pass


def place_order(user, lines, address, payment_token=None):
    """Create the order from priced cart lines, announce it and start fulfilment."""
    if not lines:
        raise CheckoutError("Your cart is empty.")
    if address is None or address.user_id != user.id:
        raise CheckoutError("Please choose a shipping address.")
    cfg = current_app.config
    subtotal = sum(line.line_total_cents for line in lines)
    totals = order_totals(
        subtotal, cfg["TAX_RATE"], cfg["SHIPPING_FLAT_CENTS"], cfg["FREE_SHIPPING_OVER_CENTS"]
    )
    order = Order(user=user, shipping_address=address, payment_token=payment_token or "tok_visa", **totals)
    for line in lines:
        order.items.append(
            OrderItem(product=line.product, quantity=line.quantity, unit_price_cents=line.unit_price_cents)
        )
    order.requires_approval = order.total_cents >= cfg["ORDER_APPROVAL_THRESHOLD_CENTS"]
    db.session.add(order)
    db.session.commit()
    metrics.incr("orders.placed")
    log.info("order %s placed by user %s", order.number, user.id)

    order_placed.send(current_app._get_current_object(), order_id=order.id, total_cents=order.total_cents)
    result = start_fulfilment(order)
    order.workflow_id = result.id
    db.session.commit()
    return order


def approve_order(order, approver):
    if order.status != Order.STATUS_AWAITING_APPROVAL:
        raise CheckoutError(f"Order {order.number} is {order.status}, not awaiting approval.")
    order.status = Order.STATUS_APPROVED
    order.approved_by = approver
    db.session.commit()
    push_order_status(order.id, order.status)
    resume_fulfilment(order.id)
    metrics.incr("orders.approved")


def reject_order(order, approver, reason):
    if order.status != Order.STATUS_AWAITING_APPROVAL:
        raise CheckoutError(f"Order {order.number} is {order.status}, not awaiting approval.")
    order.status = Order.STATUS_REJECTED
    order.approved_by = approver
    order.rejection_reason = reason or "rejected by reviewer"
    db.session.commit()
    push_order_status(order.id, order.status)
    release_stock.delay(order.id)
    send_order_rejected.delay(order.id, order.rejection_reason)


def cancel_order(order):
    if order.status not in Order.CANCELLABLE:
        raise CheckoutError("This order can no longer be cancelled.")
    order.status = Order.STATUS_CANCELLED
    db.session.commit()
    push_order_status(order.id, order.status)
    release_stock.apply_async(args=[order.id], queue="default")
