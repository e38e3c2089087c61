"""Order fulfilment steps.

Each task takes (or returns) an order id so they can be chained; the canvas
itself is built in ``orders.workflow``.  Every step re-checks the order status
first, because retries and the approval pause mean a step can run late.
"""
import logging
import os
import uuid
from datetime import datetime, timedelta

from celery.exceptions import Ignore
from flask import current_app
from sqlalchemy.exc import OperationalError

from shop.catalog.models import StockItem
from shop.extensions import celery, db
from shop.notifications.tasks import (send_approval_request, send_order_rejected,
                                      send_payment_failed_notice)
from shop.orders.models import Order, Payment, Shipment
from shop.orders.payments import GatewayUnavailable, PaymentDeclined, PaymentGateway
from shop.signals import order_shipped
from shop.tracking import push_order_status
from shop.utils.money import format_money

log = logging.getLogger(__name__)


class OutOfStock(Exception):
    pass


def _load(order_id, *expected_statuses):
    order = db.session.get(Order, order_id)
    if order is None:
        log.warning("order %s not found, stopping workflow", order_id)
        raise Ignore()
    if expected_statuses and order.status not in expected_statuses:
        log.info("order %s is %s (expected %s), stopping", order_id, order.status, expected_statuses)
        raise Ignore()
    return order


def _set_status(order, status, **extra):
    order.status = status
    db.session.commit()
    push_order_status(order.id, status, **extra)


def _release_reservation(order):
    if not order.stock_reserved:
        return
    for item in order.items:
        stock = StockItem.query.filter_by(product_id=item.product_id).first()
        if stock is not None:
            stock.reserved = max(0, stock.reserved - item.quantity)
    order.stock_reserved = False


@celery.task(bind=True, max_retries=3, default_retry_delay=10)
def reserve_stock(self, order_id):
    order = _load(order_id, Order.STATUS_PENDING)
    try:
        for item in order.items:
            stock = StockItem.query.filter_by(product_id=item.product_id).with_for_update().first()
            if stock is None or stock.available < item.quantity:
                raise OutOfStock(item.product.sku)
            stock.reserved += item.quantity
        order.stock_reserved = True
        _set_status(order, Order.STATUS_RESERVED)
    except OutOfStock as exc:
        db.session.rollback()
        _set_status(order, Order.STATUS_BACKORDERED, sku=str(exc))
        raise Ignore() from exc
    except OperationalError as exc:  # lock wait timeout / deadlock on stock_items
        db.session.rollback()
        raise self.retry(exc=exc, countdown=2**self.request.retries) from exc
    return order_id


@celery.task
def hold_for_approval(order_id):
    """Manual approval gate for large orders.

    The canvas ends here.  ``orders.routes.approve_order`` resumes it with
    ``workflow.resume_fulfilment`` once someone in the back office says yes.
    """
    order = _load(order_id, Order.STATUS_RESERVED)
    _set_status(order, Order.STATUS_AWAITING_APPROVAL)
    send_approval_request.delay(order_id)
    return order_id


@celery.task(bind=True, max_retries=3, autoretry_for=(GatewayUnavailable,), retry_backoff=True)
def charge_payment(self, order_id):
    order = _load(order_id, Order.STATUS_RESERVED, Order.STATUS_APPROVED, Order.STATUS_PAID)
    if order.payment is not None and order.payment.status == "captured":
        return order_id  # a retry after a capture that did go through
    gateway = PaymentGateway.from_config(current_app.config)
    try:
        charge_id = gateway.charge(order.total_cents, order.currency, order.payment_token, order.number)
    except PaymentDeclined as exc:
        _release_reservation(order)
        _set_status(order, Order.STATUS_PAYMENT_FAILED)
        send_payment_failed_notice.delay(order_id, str(exc))
        raise Ignore() from exc
    order.payment = Payment(provider="gateway", provider_ref=charge_id, amount_cents=order.total_cents,
                            currency=order.currency, status="captured")
    _set_status(order, Order.STATUS_PAID)
    log.info("charged %s for order %s", format_money(order.total_cents, order.currency), order.number)
    return order_id


@celery.task(bind=True, max_retries=5, default_retry_delay=60)
def create_shipment(self, order_id):
    order = _load(order_id, Order.STATUS_PAID, Order.STATUS_FULFILLING)
    if order.shipment is None:
        carrier = "USPS" if order.subtotal_cents < 5_000 else "UPS"
        order.shipment = Shipment(carrier=carrier, tracking_number="1Z" + uuid.uuid4().hex[:16].upper())
    _set_status(order, Order.STATUS_FULFILLING)
    return order.shipment.tracking_number


@celery.task(bind=True, max_retries=3)
def generate_invoice(self, order_id):
    order = _load(order_id, Order.STATUS_PAID, Order.STATUS_FULFILLING)
    filename = f"invoice-{order.number}.txt"
    money = lambda cents: format_money(cents, order.currency)  # noqa: E731
    lines = [f"INVOICE {order.number}", f"Date: {datetime.utcnow():%Y-%m-%d}", ""]
    lines += [f"{i.quantity:>3} x {i.product.name:<40} {money(i.line_total_cents):>12}" for i in order.items]
    lines += ["", f"Subtotal {money(order.subtotal_cents):>12}", f"Tax      {money(order.tax_cents):>12}",
              f"Shipping {money(order.shipping_cents):>12}", f"Total    {money(order.total_cents):>12}"]
    with open(os.path.join(current_app.config["INVOICE_FOLDER"], filename), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    order.invoice_filename = filename
    db.session.commit()
    return filename


@celery.task
def mark_order_fulfilled(results, order_id):
    """Chord callback: shipment label and invoice are both done."""
    tracking_number, _invoice = results
    order = _load(order_id, Order.STATUS_FULFILLING)
    for item in order.items:  # the reservation becomes a real stock movement
        stock = item.product.stock
        stock.quantity -= item.quantity
        stock.reserved = max(0, stock.reserved - item.quantity)
    order.stock_reserved = False
    order.shipment.status = "in_transit"
    order.shipment.shipped_at = datetime.utcnow()
    _set_status(order, Order.STATUS_SHIPPED, tracking_number=tracking_number)
    order_shipped.send(current_app._get_current_object(), order_id=order_id)
    return order_id


@celery.task(bind=True, max_retries=3)
def release_stock(self, order_id):
    order = db.session.get(Order, order_id)
    if order is None:
        return
    _release_reservation(order)
    db.session.commit()


@celery.task
def release_stale_reservations(max_age_minutes=30):
    """Free stock held by orders whose workflow died, and expire old approvals."""
    now = datetime.utcnow()
    stale = Order.query.filter(Order.status == Order.STATUS_RESERVED,
                               Order.updated_at < now - timedelta(minutes=max_age_minutes)).all()
    approval_cutoff = now - timedelta(days=current_app.config["APPROVAL_EXPIRY_DAYS"])
    expired = Order.query.filter(Order.status == Order.STATUS_AWAITING_APPROVAL,
                                 Order.updated_at < approval_cutoff).all()
    for order in stale:
        _release_reservation(order)
        order.status = Order.STATUS_CANCELLED
    for order in expired:
        _release_reservation(order)
        order.status = Order.STATUS_REJECTED
        order.rejection_reason = "approval window expired"
    db.session.commit()
    for order in expired:
        send_order_rejected.delay(order.id, order.rejection_reason)
    return {"released": len(stale), "expired": len(expired)}
