import os

from flask import (abort, current_app, flash, g, redirect, render_template, request,
                   send_from_directory, url_for)
from werkzeug.utils import secure_filename

from shop.auth.models import Address
from shop.catalog.models import Product
from shop.extensions import admin_required, db, login_required
from shop.orders import cart, orders_bp, services
from shop.orders.models import Order
from shop.tracking import watcher_count
from shop.utils import allowed_file
from shop.utils.pagination import get_page_args, paginate


def _own_order_or_404(order_id):
    order = db.get_or_404(Order, order_id)
    if order.user_id != g.user.id and not g.user.is_admin:
        abort(404)
    return order


@orders_bp.get("/cart")
def view_cart():
    lines = cart.cart_lines()
    return render_template("orders/cart.html", lines=lines, totals=cart.cart_totals(lines))


@orders_bp.post("/cart/items")
def add_to_cart():
    product = db.get_or_404(Product, request.form.get("product_id", type=int))
    quantity = request.form.get("quantity", 1, type=int)
    if not product.in_stock:
        flash(f"Sorry, {product.name} is out of stock.", "warning")
    else:
        cart.add_item(product.id, max(quantity, 1))
        flash(f"Added {product.name} to your cart.", "success")
    return redirect(request.referrer or url_for(".view_cart"))


@orders_bp.route("/cart/items/<int:product_id>", methods=["POST", "DELETE"])
def update_cart_item(product_id):
    quantity = request.form.get("quantity", type=int)
    if request.method == "DELETE" or not quantity:
        cart.remove_item(product_id)
    else:
        cart.set_quantity(product_id, quantity)
    if request.method == "DELETE":
        return "", 204
    return redirect(url_for(".view_cart"))


@orders_bp.route("/checkout", methods=["GET", "POST"])
@login_required
def checkout():
    lines = cart.cart_lines()
    if not lines:
        flash("Your cart is empty.", "info")
        return redirect(url_for(".view_cart"))
    totals = cart.cart_totals(lines)
    if request.method == "POST":
        address = Address.query.filter_by(
            id=request.form.get("address_id", type=int), user_id=g.user.id
        ).first()
        try:
            order = services.place_order(
                g.user, lines, address, payment_token=request.form.get("payment_token")
            )
        except services.CheckoutError as exc:
            flash(str(exc), "danger")
            return render_template("orders/checkout.html", lines=lines, totals=totals), 400
        cart.clear()
        if order.requires_approval:
            flash("Thanks! Large orders are reviewed by our team before we charge your card.", "info")
        else:
            flash(f"Thanks! Your order {order.number} is on its way.", "success")
        return redirect(url_for(".order_detail", order_id=order.id))
    return render_template("orders/checkout.html", lines=lines, totals=totals)


@orders_bp.get("/")
@login_required
def order_history():
    page, per_page = get_page_args(10)
    query = Order.query.filter_by(user_id=g.user.id).order_by(Order.created_at.desc())
    return render_template("orders/history.html", orders=paginate(query, page, per_page))


@orders_bp.get("/<int:order_id>")
@login_required
def order_detail(order_id):
    return render_template("orders/detail.html", order=_own_order_or_404(order_id))


@orders_bp.post("/<int:order_id>/cancel")
@login_required
def cancel_order(order_id):
    order = _own_order_or_404(order_id)
    try:
        services.cancel_order(order)
        flash(f"Order {order.number} cancelled.", "info")
    except services.CheckoutError as exc:
        flash(str(exc), "danger")
    return redirect(url_for(".order_detail", order_id=order.id))


@orders_bp.get("/<int:order_id>/invoice")
@login_required
def download_invoice(order_id):
    order = _own_order_or_404(order_id)
    if not order.invoice_filename:
        abort(404)
    return send_from_directory(
        current_app.config["INVOICE_FOLDER"], order.invoice_filename, as_attachment=True
    )


# --- back office -----------------------------------------------------------


@orders_bp.get("/admin/pending")
@admin_required
def pending_approvals():
    orders = Order.query.filter_by(status=Order.STATUS_AWAITING_APPROVAL).order_by(Order.created_at).all()
    watchers = {order.id: watcher_count(order.id) for order in orders}
    return render_template("orders/admin_pending.html", orders=orders, watchers=watchers)


@orders_bp.post("/admin/<int:order_id>/approve")
@admin_required
def approve_order(order_id):
    order = db.get_or_404(Order, order_id)
    try:
        services.approve_order(order, g.user)
        flash(f"Order {order.number} approved; fulfilment resumed.", "success")
    except services.CheckoutError as exc:
        flash(str(exc), "danger")
    return redirect(url_for(".pending_approvals"))


@orders_bp.post("/admin/<int:order_id>/reject")
@admin_required
def reject_order(order_id):
    order = db.get_or_404(Order, order_id)
    try:
        services.reject_order(order, g.user, request.form.get("reason"))
        flash(f"Order {order.number} rejected.", "info")
    except services.CheckoutError as exc:
        flash(str(exc), "danger")
    return redirect(url_for(".pending_approvals"))


@orders_bp.route("/admin/<int:order_id>/invoice", methods=["POST"])
@admin_required
def upload_invoice(order_id):
    """Replace the generated invoice with a signed PDF from accounting."""
    order = db.get_or_404(Order, order_id)
    file = request.files.get("invoice")
    if file is None or not allowed_file(file.filename, current_app.config["ALLOWED_INVOICE_EXTENSIONS"]):
        abort(400, "a PDF invoice is required")
    filename = secure_filename(f"invoice-{order.number}.pdf")
    file.save(os.path.join(current_app.config["INVOICE_FOLDER"], filename))
    order.invoice_filename = filename
    db.session.commit()
    flash("Invoice uploaded.", "success")
    return redirect(url_for(".order_detail", order_id=order.id))
