"""Flask Shop: storefront, checkout, fulfilment and back office in one app.

Started in 2015 as a single ``app.py``; split into blueprints in 2017.
Always build the app with :func:`create_app`.
"""
import logging
import os
import threading

from flask import Flask, jsonify, redirect, url_for
from sqlalchemy import text

from shop.config import config
from shop.errors import register_error_handlers
from shop.extensions import db, init_celery, socketio

__version__ = "4.12.3"

log = logging.getLogger(__name__)


def create_app(config_name="default"):
    app = Flask(__name__)
    app.config.from_object(config[config_name])
    app.config.from_envvar("SHOP_SETTINGS", silent=True)

    for key in ("UPLOAD_FOLDER", "INVOICE_FOLDER", "REPORTS_FOLDER"):
        os.makedirs(app.config[key], exist_ok=True)

    db.init_app(app)
    init_celery(app)
    socketio.init_app(app, message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
                      cors_allowed_origins=app.config["SOCKETIO_CORS_ORIGINS"])

    register_blueprints(app)
    register_error_handlers(app)

    from shop.cli import register_commands

    register_commands(app)

    # These modules only connect signal receivers / Socket.IO handlers.
    from shop import analytics, tracking  # noqa: F401
    from shop.auth import loyalty  # noqa: F401
    from shop.catalog import tasks as catalog_tasks  # noqa: F401

    app.add_url_rule("/", "index", index)
    app.add_url_rule("/healthz", "healthz", healthz)

    if app.config["START_STOCK_WATCHER"] and not app.testing:
        from shop.catalog.stock_watcher import watch_stock_levels

        watcher = threading.Thread(target=watch_stock_levels, args=(app,), name="stock-watcher", daemon=True)
        watcher.start()

    return app


def register_blueprints(app):
    from shop.api import api_bp
    from shop.auth import auth_bp
    from shop.catalog import catalog_bp
    from shop.notifications import notifications_bp
    from shop.orders import orders_bp

    # these two attach their views here rather than in their package (circular imports)
    import shop.notifications.routes  # noqa: F401
    import shop.orders.routes  # noqa: F401

    app.register_blueprint(auth_bp)
    app.register_blueprint(catalog_bp, url_prefix="/catalog")
    app.register_blueprint(orders_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(api_bp)


def index():
    return redirect(url_for("catalog.index"))


def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # report, don't raise: the load balancer only wants a status
        log.exception("health check: database unreachable")
        database = "error"
    healthy = database == "ok"
    body = jsonify(status="ok" if healthy else "degraded", database=database, version=__version__)
    return body, 200 if healthy else 503
