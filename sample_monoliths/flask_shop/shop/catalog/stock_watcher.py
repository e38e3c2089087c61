"""Low-stock watcher.

Runs forever: ``flask ops watch-stock`` under supervisord on the ops box, or
inside the web process when ``START_STOCK_WATCHER=1`` (see ``create_app``).
"""
import logging
import time

from shop.catalog.models import StockItem

log = logging.getLogger(__name__)

POLL_SECONDS = 60

# product ids we already alerted on, so we don't page purchasing every minute
_alerted: set = set()


def check_stock_levels():
    from shop.notifications.tasks import send_low_stock_alert

    low = StockItem.query.filter(StockItem.quantity - StockItem.reserved <= StockItem.reorder_level).all()
    low_ids = {item.product_id for item in low}
    for item in low:
        if item.product_id not in _alerted:
            send_low_stock_alert.delay(item.product_id, item.available)
            _alerted.add(item.product_id)
    _alerted.intersection_update(low_ids)  # re-arm products that were restocked
    return len(low)


def watch_stock_levels(app, interval=POLL_SECONDS):
    log.info("stock watcher started, polling every %ss", interval)
    while True:
        try:
            with app.app_context():
                count = check_stock_levels()
            log.debug("stock watcher: %d products below reorder level", count)
        except Exception:
            log.exception("stock watcher iteration failed")
        time.sleep(interval)
