"""App-wide error pages: HTML for browsers, JSON under /api."""
import logging

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from shop.extensions import db

log = logging.getLogger(__name__)


def _wants_json():
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def register_error_handlers(app):
    @app.errorhandler(HTTPException)
    def handle_http_error(exc):
        if _wants_json():
            return jsonify(error=exc.name, message=exc.description), exc.code
        return render_template("errors/error.html", error=exc), exc.code

    @app.errorhandler(500)
    def handle_server_error(exc):
        db.session.rollback()
        log.exception("unhandled error on %s", request.path)
        if _wants_json():
            return jsonify(error="Internal Server Error"), 500
        return render_template("errors/error.html", error=None), 500
