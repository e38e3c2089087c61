"""Catalogue background jobs."""
import json
import logging
import os

from celery import shared_task
from flask import current_app

from shop.catalog import pricing
from shop.catalog.models import Product
from shop.extensions import celery, db
from shop.orders.models import Order
from shop.signals import order_placed

log = logging.getLogger(__name__)


@celery.task(bind=True, time_limit=3600, soft_time_limit=3300, acks_late=True)
def reindex_catalogue(self):
    """Rebuild the JSON search index read by ``catalog.views.search``.

    Walks every active product; takes ~40 minutes on the full 180k-SKU
    catalogue, hence the hour-long time limit and the dedicated ``batch`` queue.
    """
    path = current_app.config["SEARCH_INDEX_PATH"]
    docs = []
    query = Product.query.filter_by(is_active=True).order_by(Product.id)
    for n, product in enumerate(query.yield_per(500), start=1):
        category = product.category.name if product.category else None
        text = " ".join(filter(None, [product.name, product.sku, product.description, category]))
        docs.append({"id": product.id, "slug": product.slug, "text": text.lower()})
        if n % 1000 == 0 and not self.request.is_eager:
            self.update_state(state="PROGRESS", meta={"indexed": n})
    tmp_path = path + ".tmp"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(tmp_path, "w") as fh:
        json.dump(docs, fh)
    os.replace(tmp_path, path)
    pricing.invalidate()
    log.info("reindexed %d products into %s", len(docs), path)
    return len(docs)


@celery.task(ignore_result=True)
def warm_price_cache(limit=500):
    """Pre-compute prices for the best sellers."""
    products = Product.query.filter_by(is_active=True).order_by(Product.units_sold.desc()).limit(limit)
    for product in products:
        pricing.get_price(product)
    return pricing.cache_size()


@shared_task(ignore_result=True)
def update_inventory_for_order(order_id):
    """Best-seller counters and low-stock alerts after an order is placed."""
    from shop.notifications.tasks import send_low_stock_alert

    order = db.session.get(Order, order_id)
    if order is None:
        return
    for item in order.items:
        product = item.product
        product.units_sold = (product.units_sold or 0) + item.quantity
        stock = product.stock
        if stock is not None and stock.available - item.quantity <= stock.reorder_level:
            send_low_stock_alert.delay(product.id, stock.available - item.quantity)
    db.session.commit()


@order_placed.connect
def _on_order_placed(sender, order_id, **extra):
    update_inventory_for_order.delay(order_id)
