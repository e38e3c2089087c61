"""Session-backed shopping cart: ``session["cart"] = {"<product_id>": qty}``."""
from collections import namedtuple

from flask import current_app, session

from shop.catalog.models import Product
from shop.catalog.pricing import get_price
from shop.utils.money import order_totals

CART_KEY = "cart"
MAX_QTY_PER_LINE = 99

CartLine = namedtuple("CartLine", "product quantity unit_price_cents line_total_cents")


def get_cart():
    return {int(pid): qty for pid, qty in session.get(CART_KEY, {}).items()}


def _save(cart):
    session[CART_KEY] = {str(pid): qty for pid, qty in cart.items() if qty > 0}
    session.modified = True


def add_item(product_id, quantity=1):
    cart = get_cart()
    cart[product_id] = min(cart.get(product_id, 0) + quantity, MAX_QTY_PER_LINE)
    _save(cart)


def set_quantity(product_id, quantity):
    cart = get_cart()
    cart[product_id] = max(0, min(quantity, MAX_QTY_PER_LINE))
    _save(cart)


def remove_item(product_id):
    cart = get_cart()
    cart.pop(product_id, None)
    _save(cart)


def clear():
    session.pop(CART_KEY, None)


def lines_for(quantities):
    """``{product_id: qty}`` -> list of priced ``CartLine`` (inactive products dropped)."""
    if not quantities:
        return []
    products = Product.query.filter(Product.id.in_(quantities), Product.is_active.is_(True)).all()
    lines = []
    for product in sorted(products, key=lambda p: p.name):
        qty = quantities[product.id]
        unit = get_price(product)
        lines.append(CartLine(product, qty, unit, unit * qty))
    return lines


def cart_lines():
    return lines_for(get_cart())


def cart_totals(lines):
    cfg = current_app.config
    subtotal = sum(line.line_total_cents for line in lines)
    return order_totals(
        subtotal, cfg["TAX_RATE"], cfg["SHIPPING_FLAT_CENTS"], cfg["FREE_SHIPPING_OVER_CENTS"]
    )
