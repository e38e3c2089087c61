"""Storefront catalogue: categories, products, stock levels and search.

The URL prefix is chosen by the app factory (``/catalog``), not here.
"""
from flask import Blueprint as BP

catalog_bp = BP("catalog", __name__)

from shop.catalog import views  # noqa: E402,F401
