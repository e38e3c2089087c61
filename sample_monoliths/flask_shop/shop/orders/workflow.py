"""The order-fulfilment workflow as a Celery canvas.

    reserve_stock -> charge_payment -> [create_shipment | generate_invoice]
                  -> mark_order_fulfilled -> notify_customer_shipped

Orders at or above ORDER_APPROVAL_THRESHOLD_CENTS stop after reserve_stock
(``hold_for_approval``) until an admin approves them in the back office;
``resume_fulfilment`` then runs the rest.
"""
from celery import chain, chord, group

from shop.notifications.tasks import notify_customer_shipped
from shop.orders.tasks import (
    charge_payment,
    create_shipment,
    generate_invoice,
    hold_for_approval,
    mark_order_fulfilled,
    reserve_stock,
)


def _shipping_steps(order_id):
    return chord(
        group(create_shipment.si(order_id), generate_invoice.si(order_id)),
        mark_order_fulfilled.s(order_id),
    )


def build_fulfilment_workflow(order_id):
    return chain(
        reserve_stock.s(order_id),
        charge_payment.s(),
        _shipping_steps(order_id),
        notify_customer_shipped.si(order_id),
    )


def build_approval_workflow(order_id):
    return chain(reserve_stock.s(order_id), hold_for_approval.s())


def build_post_approval_workflow(order_id):
    return chain(charge_payment.si(order_id), _shipping_steps(order_id), notify_customer_shipped.si(order_id))


def start_fulfilment(order):
    """Kick off fulfilment for a freshly placed order; returns the Celery result."""
    if order.requires_approval:
        return build_approval_workflow(order.id).apply_async()
    return build_fulfilment_workflow(order.id).apply_async()


def resume_fulfilment(order_id):
    """Continue an approved order from the payment step."""
    return build_post_approval_workflow(order_id).apply_async(countdown=1)
