"""Public JSON API for the mobile apps: ``/api/v1/...``.

``api_bp`` is the parent blueprint; each version is a child blueprint so the
next version can live beside it.
"""
from flask import Blueprint

api_bp = Blueprint("api", __name__, url_prefix="/api")
v1_bp = Blueprint("v1", __name__, url_prefix="/v1")

from shop.api import resources  # noqa: E402,F401  (adds the v1 resources)

api_bp.register_blueprint(v1_bp)
