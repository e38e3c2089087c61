"""Effective prices (sale prices, expiry) with a small per-process cache.

Computing a price used to hit the promotions service on every product tile,
so we memoise it for ``PRICE_CACHE_TTL`` seconds.
"""
import time
from datetime import datetime

from flask import current_app

_PRICE_CACHE: dict = {}


def _ttl():
    try:
        return current_app.config["PRICE_CACHE_TTL"]
    except RuntimeError:  # outside an app context (scripts)
        return 300


def _compute_price(product):
    if product.sale_price_cents is not None and (
        product.sale_ends_at is None or product.sale_ends_at > datetime.utcnow()
    ):
        return min(product.sale_price_cents, product.price_cents)
    return product.price_cents


def get_price(product):
    """Price in cents the customer pays right now for one unit of ``product``."""
    entry = _PRICE_CACHE.get(product.id)
    now = time.monotonic()
    if entry is not None and entry[1] > now:
        return entry[0]
    price = _compute_price(product)
    _PRICE_CACHE[product.id] = (price, now + _ttl())
    return price


def invalidate(product_id=None):
    if product_id is None:
        _PRICE_CACHE.clear()
    else:
        _PRICE_CACHE.pop(product_id, None)


def cache_size():
    return len(_PRICE_CACHE)
