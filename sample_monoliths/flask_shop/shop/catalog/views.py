import json
import os

from flask import (abort, current_app, flash, jsonify, redirect, render_template, request,
                   send_from_directory, url_for)
from flask.views import MethodView
from werkzeug.utils import secure_filename

from shop.catalog import catalog_bp
from shop.catalog.models import Category, Product, StockItem
from shop.catalog.pricing import get_price, invalidate
from shop.extensions import admin_required, db
from shop.utils import allowed_file, slugify
from shop.utils.metrics import incr
from shop.utils.money import format_money, to_cents
from shop.utils.pagination import Page, get_page_args, paginate


def _product_json(product):
    return product.to_dict(price_cents=get_price(product))


@catalog_bp.app_template_filter("money")
def money_filter(cents, currency="USD"):
    return format_money(cents, currency)


@catalog_bp.route("/")
def index():
    page, per_page = get_page_args(current_app.config["PRODUCTS_PER_PAGE"])
    query = Product.query.filter_by(is_active=True).order_by(Product.units_sold.desc(), Product.id)
    products = paginate(query, page, per_page)
    categories = Category.query.filter_by(parent_id=None).order_by(Category.position).all()
    incr("catalog.index")
    return render_template("catalog/index.html", products=products, categories=categories, price=get_price)


@catalog_bp.route("/category/<slug>")
def category_page(slug):
    category = Category.query.filter_by(slug=slug).first_or_404()
    page, per_page = get_page_args(current_app.config["PRODUCTS_PER_PAGE"])
    ids = [category.id] + [child.id for child in category.children]
    query = Product.query.filter(Product.category_id.in_(ids), Product.is_active.is_(True))
    products = paginate(query.order_by(Product.name), page, per_page)
    return render_template(
        "catalog/index.html",
        products=products,
        categories=category.children,
        current_category=category,
        price=get_price,
    )


@catalog_bp.get("/p/<slug>")
def product_page(slug):
    product = Product.query.filter_by(slug=slug, is_active=True).first_or_404()
    incr("catalog.product_view")
    return render_template("catalog/product.html", product=product, price=get_price(product))


@catalog_bp.get("/search")
def search():
    """Search the index written by the nightly ``reindex_catalogue`` job."""
    q = (request.args.get("q") or "").strip().lower()
    if not q:
        return redirect(url_for(".index"))
    index_path = current_app.config["SEARCH_INDEX_PATH"]
    if os.path.exists(index_path):
        with open(index_path) as fh:
            docs = json.load(fh)
        ids = [doc["id"] for doc in docs if q in doc["text"]][:50]
        results = Product.query.filter(Product.id.in_(ids)).all() if ids else []
    else:  # index not built yet (fresh box): fall back to LIKE
        results = Product.query.filter(Product.name.ilike(f"%{q}%")).limit(50).all()
    if request.accept_mimetypes.best == "application/json":
        return jsonify([_product_json(p) for p in results])
    page = Page(items=results, page=1, per_page=max(len(results), 1), total=len(results))
    return render_template("catalog/index.html", products=page, categories=[], query=q, price=get_price)


@catalog_bp.route("/categories", methods=["GET", "POST"])
def categories():
    if request.method == "POST":
        return _create_category()
    return jsonify([c.to_dict() for c in Category.query.order_by(Category.position).all()])


@admin_required
def _create_category():
    data = request.get_json(silent=True) or request.form
    if not data.get("name"):
        abort(400, "name is required")
    category = Category(name=data["name"], slug=data.get("slug") or slugify(data["name"]),
                        parent_id=data.get("parent_id") or None)
    db.session.add(category)
    db.session.commit()
    return jsonify(category.to_dict()), 201


class ProductAPI(MethodView):
    """JSON CRUD used by the back-office single-page app."""

    def get(self, product_id):
        if product_id is None:
            page, per_page = get_page_args()
            query = Product.query.order_by(Product.id)
            if request.args.get("category"):
                query = query.join(Category).filter(Category.slug == request.args["category"])
            return jsonify(paginate(query, page, per_page).to_dict(_product_json))
        product = db.get_or_404(Product, product_id)
        return jsonify(_product_json(product))

    @admin_required
    def post(self):
        data = request.get_json(force=True)
        product = Product(sku=data["sku"], name=data["name"], slug=data.get("slug") or slugify(data["name"]),
                          description=data.get("description", ""), price_cents=to_cents(data["price"]),
                          category_id=data.get("category_id"))
        product.stock = StockItem(quantity=int(data.get("quantity", 0)))
        db.session.add(product)
        db.session.commit()
        return jsonify(_product_json(product)), 201

    @admin_required
    def put(self, product_id):
        product = db.get_or_404(Product, product_id)
        data = request.get_json(force=True)
        for field in ("name", "description", "category_id", "is_active"):
            if field in data:
                setattr(product, field, data[field])
        if "price" in data:
            product.price_cents = to_cents(data["price"])
        if "sale_price" in data:
            product.sale_price_cents = to_cents(data["sale_price"])
        if "quantity" in data:
            product.stock.quantity = int(data["quantity"])
        db.session.commit()
        invalidate(product.id)
        return jsonify(_product_json(product))

    @admin_required
    def delete(self, product_id):
        product = db.get_or_404(Product, product_id)
        product.is_active = False  # soft delete: order history still points at it
        db.session.commit()
        invalidate(product.id)
        return "", 204


product_view = ProductAPI.as_view("product_api")
catalog_bp.add_url_rule("/products/", defaults={"product_id": None}, view_func=product_view, methods=["GET"])
catalog_bp.add_url_rule("/products/", view_func=product_view, methods=["POST"])
catalog_bp.add_url_rule(
    "/products/<int:product_id>", view_func=product_view, methods=["GET", "PUT", "DELETE"]
)


@catalog_bp.post("/products/<int:product_id>/image")
@admin_required
def upload_product_image(product_id):
    product = db.get_or_404(Product, product_id)
    file = request.files.get("image")
    if file is None or file.filename == "":
        flash("No image selected.", "warning")
        return redirect(url_for(".product_page", slug=product.slug))
    if not allowed_file(file.filename, current_app.config["ALLOWED_IMAGE_EXTENSIONS"]):
        abort(400, "unsupported image type")
    filename = secure_filename(f"{product.sku}-{file.filename}")
    file.save(os.path.join(current_app.config["UPLOAD_FOLDER"], filename))
    product.image_filename = filename
    db.session.commit()
    flash("Image uploaded.", "success")
    return redirect(url_for(".product_page", slug=product.slug))


@catalog_bp.get("/media/<path:filename>")
def media(filename):
    return send_from_directory(current_app.config["UPLOAD_FOLDER"], filename, max_age=86400)
