"""Customer and staff messages.  All sending is asynchronous."""
import logging
import smtplib

from celery import group, shared_task
from flask import current_app

from shop.auth.models import User
from shop.catalog.models import Product
from shop.extensions import celery, db
from shop.notifications.models import NotificationPreference
from shop.notifications.senders import send_email, send_text
from shop.orders.models import Order
from shop.signals import order_placed
from shop.tracking import push_order_status
from shop.utils.money import format_money

log = logging.getLogger(__name__)


def _order_summary(order):
    lines = [f"  {i.quantity} x {i.product.name}" for i in order.items]
    lines.append(f"Total: {format_money(order.total_cents, order.currency)}")
    return "\n".join(lines)


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_email_message(self, to, subject, body):
    try:
        send_email(to, subject, body)
    except (smtplib.SMTPException, OSError) as exc:
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=5, rate_limit="10/s")
def send_sms(self, phone, body):
    try:
        send_text(phone, body)
    except OSError as exc:
        raise self.retry(exc=exc, countdown=30) from exc


@shared_task(name="notifications.send_order_receipt", bind=True, max_retries=3, default_retry_delay=60)
def send_order_receipt(self, order_id):
    order = db.session.get(Order, order_id)
    prefs = NotificationPreference.for_user(order.user)
    if not prefs.email_receipts:
        return "skipped"
    name = order.user.full_name or "there"
    body = f"Hi {name},\n\nThanks for order {order.number}:\n{_order_summary(order)}\n"
    if order.requires_approval:
        body += "\nBecause of its size, our team will review it before we charge your card.\n"
    try:
        send_email(order.user.email, f"Your Flask Shop order {order.number}", body)
    except (smtplib.SMTPException, OSError) as exc:
        raise self.retry(exc=exc) from exc
    return "sent"


@celery.task
def notify_customer_shipped(order_id):
    order = db.session.get(Order, order_id)
    prefs = NotificationPreference.for_user(order.user)
    tracking = order.shipment.tracking_number if order.shipment else "n/a"
    text = f"Order {order.number} has shipped with {order.shipment.carrier}, tracking {tracking}."
    if prefs.email_shipping:
        send_email_message.delay(order.user.email, f"Order {order.number} shipped", text)
    if prefs.sms_shipping and prefs.sms_target:
        send_sms.delay(prefs.sms_target, text)
    push_order_status(order_id, order.status, tracking_number=tracking)


@shared_task
def send_approval_request(order_id):
    order = db.session.get(Order, order_id)
    admins = User.query.filter_by(is_admin=True).all()
    link = current_app.config["SHOP_BASE_URL"] + "/orders/admin/pending"
    body = f"Order {order.number} ({format_money(order.total_cents)}) needs approval:\n{link}\n"
    for admin in admins:
        send_email_message.delay(admin.email, f"[approval] {order.number}", body)
    return len(admins)


@shared_task
def send_order_rejected(order_id, reason):
    order = db.session.get(Order, order_id)
    send_email(
        order.user.email,
        f"Order {order.number} was not accepted",
        f"We're sorry, we could not accept order {order.number}: {reason}.\nYou have not been charged.\n",
    )


@shared_task
def send_payment_failed_notice(order_id, reason):
    order = db.session.get(Order, order_id)
    send_email(order.user.email, f"Payment failed for {order.number}", f"Your card was declined: {reason}\n")


@shared_task(ignore_result=True)
def send_low_stock_alert(product_id, available):
    product = db.session.get(Product, product_id)
    for admin in User.query.filter_by(is_admin=True):
        send_email(admin.email, f"[stock] {product.sku} low", f"{product.name}: {available} left\n")


@shared_task
def send_weekly_digest(user_id):
    user = db.session.get(User, user_id)
    best = Product.query.filter_by(is_active=True).order_by(Product.units_sold.desc()).limit(5).all()
    body = "This week's best sellers:\n" + "\n".join(f"  - {p.name}" for p in best)
    token = user.notification_preference.unsubscribe_token
    base = current_app.config["SHOP_BASE_URL"]
    body += f"\n\nUnsubscribe: {base}/account/notifications/unsubscribe/{token}\n"
    send_email(user.email, "This week at Flask Shop", body)


@celery.task
def queue_weekly_digests():
    user_ids = [pref.user_id for pref in NotificationPreference.query.filter_by(marketing_emails=True)]
    group(send_weekly_digest.s(user_id) for user_id in user_ids).apply_async()
    return len(user_ids)


@order_placed.connect
def _send_receipt(sender, order_id, **extra):
    send_order_receipt.apply_async(args=[order_id], countdown=5)
