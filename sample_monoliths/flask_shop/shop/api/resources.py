from flask import g, request
from flask_restful import Api, Resource, abort, reqparse

from shop.api import api_bp, v1_bp
from shop.auth.models import Address
from shop.catalog.models import Product
from shop.catalog.pricing import get_price, invalidate
from shop.extensions import admin_required, db, login_required
from shop.orders import services
from shop.orders.cart import lines_for
from shop.orders.models import Order
from shop.utils.money import to_cents
from shop.utils.pagination import get_page_args, paginate

api = Api(v1_bp)


def _product(product):
    return product.to_dict(price_cents=get_price(product))


@api_bp.get("/ping")
def ping():
    return {"pong": True, "versions": ["v1"]}


class ProductListResource(Resource):
    def get(self):
        page, per_page = get_page_args()
        query = Product.query.filter_by(is_active=True).order_by(Product.id)
        if request.args.get("q"):
            query = query.filter(Product.name.ilike(f"%{request.args['q']}%"))
        return paginate(query, page, per_page).to_dict(_product)


class ProductResource(Resource):
    method_decorators = {"put": [admin_required]}

    def get(self, product_id):
        product = db.session.get(Product, product_id)
        if product is None or not product.is_active:
            abort(404, message=f"product {product_id} not found")
        return _product(product)

    def put(self, product_id):
        product = db.session.get(Product, product_id)
        if product is None:
            abort(404, message=f"product {product_id} not found")
        parser = reqparse.RequestParser()
        parser.add_argument("price", type=str, location="json")
        parser.add_argument("name", type=str, location="json")
        args = parser.parse_args()
        if args["price"] is not None:
            product.price_cents = to_cents(args["price"])
        if args["name"]:
            product.name = args["name"]
        db.session.commit()
        invalidate(product.id)
        return _product(product)


class OrderListResource(Resource):
    method_decorators = [login_required]

    def get(self):
        page, per_page = get_page_args()
        query = Order.query.filter_by(user_id=g.user.id).order_by(Order.created_at.desc())
        return paginate(query, page, per_page).to_dict(lambda o: o.to_dict(with_items=False))

    def post(self):
        data = request.get_json(force=True) or {}
        try:
            quantities = {int(i["product_id"]): int(i.get("quantity", 1)) for i in data.get("items", [])}
        except (KeyError, TypeError, ValueError):
            abort(400, message="items must be a list of {product_id, quantity}")
        address = Address.query.filter_by(id=data.get("address_id"), user_id=g.user.id).first()
        try:
            order = services.place_order(
                g.user, lines_for(quantities), address, payment_token=data.get("payment_token")
            )
        except services.CheckoutError as exc:
            abort(422, message=str(exc))
        return order.to_dict(), 201, {"Location": f"/api/v1/orders/{order.id}"}


class OrderResource(Resource):
    method_decorators = [login_required]

    def get(self, order_id):
        order = db.session.get(Order, order_id)
        if order is None or (order.user_id != g.user.id and not g.user.is_admin):
            abort(404, message=f"order {order_id} not found")
        return order.to_dict()


api.add_resource(ProductListResource, "/products", endpoint="products")
api.add_resource(ProductResource, "/products/<int:product_id>", endpoint="product")
api.add_resource(OrderListResource, "/orders", endpoint="orders")
api.add_resource(OrderResource, "/orders/<int:order_id>", endpoint="order")
