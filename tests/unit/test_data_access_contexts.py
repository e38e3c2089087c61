"""Data access through shared helpers whose parameters hold a different model per caller.

The link stage gives a parameter every value any caller passed; these tests check that what a
helper does with it is told apart by what the call can really be (written like a dashboarding
app's permission helpers and a service layer's generic lookups).
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

APP = {
    "dash/__init__.py": """
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()

        def create_app():
            app = Flask(__name__)
            db.init_app(app)
            from dash.views import bp
            app.register_blueprint(bp)
            return app
    """,
    "dash/models.py": """
        from dash import db

        class User(db.Model):
            __tablename__ = "users"
            id = db.Column(db.Integer, primary_key=True)
            api_key = db.Column(db.String(40))

            def is_api_user(self):
                return False

        class Query(db.Model):
            __tablename__ = "queries"
            id = db.Column(db.Integer, primary_key=True)
            api_key = db.Column(db.String(40))

            def archive(self):
                self.is_archived = True

        class Dashboard(db.Model):
            __tablename__ = "dashboards"
            id = db.Column(db.Integer, primary_key=True)
            slug = db.Column(db.String(140))

            def archive(self):
                self.is_archived = True
    """,
    "dash/permissions.py": """
        def has_access(obj, user):
            if user.is_api_user():
                return obj.api_key == user.api_key
            return True
    """,
    "dash/views.py": """
        from flask import Blueprint
        from dash import db
        from dash.models import Dashboard, Query, User
        from dash.permissions import has_access

        bp = Blueprint("dash", __name__)

        @bp.route("/queries/<int:query_id>")
        def query(query_id):
            user = User.query.get(1)
            query = Query.query.get(query_id)
            has_access(query, user)
            return str(query.id)

        def preview(text, key):
            return has_access(Query(query_text=text), User(api_key=key))

        def shared_with(slug, key):
            return has_access(User(api_key=key), Dashboard(slug=slug))

        @bp.route("/archive/<int:item_id>", methods=["POST"])
        def archive(item_id):
            for model in (Query, Dashboard):
                item = model.query.get(item_id)
                item.archive()
            db.session.commit()
            return "ok"
    """,
}
USER, QUERY, DASHBOARD = "dash.models:User", "dash.models:Query", "dash.models:Dashboard"


def routes_of(files: dict[str, str]) -> dict[tuple[str, str], tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {(route.path, method): (route.reads, route.writes) for route in found.routes for method in route.methods}


def test_a_method_only_some_candidate_models_define_narrows_the_receiver() -> None:
    routes = routes_of(APP)
    # Why: has_access's `user` holds a User from preview and a Dashboard from shared_with (which
    # swapped the arguments); `user.is_api_user()` runs only on a receiver that has the method: no
    # Dashboard is queried there. The route reads what it loads itself.
    assert routes[("/queries/{query_id}", "GET")] == ([QUERY, USER], [])


def test_a_method_every_candidate_model_defines_keeps_them_all() -> None:
    # Why: Query and Dashboard both define archive(): the loop's item may be either, and both are written.
    reads, writes = routes_of(APP)[("/archive/{item_id}", "POST")]
    assert reads == [DASHBOARD, QUERY]
    assert writes == [DASHBOARD, QUERY]


SERVICES = {
    "shop/__init__.py": """
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()

        def create_app():
            app = Flask(__name__)
            db.init_app(app)
            from shop.views import bp
            app.register_blueprint(bp)
            return app
    """,
    "shop/database.py": """
        from shop import db

        def session_query(model):
            return model.query if hasattr(model, "query") else db.session.query(model)

        def get(model, value):
            query = session_query(model)
            return query.filter(model.id == value).scalar()

        def get_object_or_404(fn, *args):
            found = fn(*args)
            if found is None:
                raise LookupError(args)
            return found
    """,
    "shop/models.py": """
        from shop import db

        class ByIdMixin:
            @classmethod
            def get_by_id(cls, object_id):
                query = cls.query.filter(cls.id == object_id)
                return query.one()

        class Customer(ByIdMixin, db.Model):
            __tablename__ = "customers"
            id = db.Column(db.Integer, primary_key=True)

        class Order(ByIdMixin, db.Model):
            __tablename__ = "orders"
            id = db.Column(db.Integer, primary_key=True)

        class Coupon(db.Model):
            __tablename__ = "coupons"
            id = db.Column(db.Integer, primary_key=True)
    """,
    "shop/views.py": """
        from flask import Blueprint, request
        from shop import database
        from shop.models import Coupon, Customer, Order

        bp = Blueprint("shop", __name__)
        MODELS = {"customer": Customer, "coupon": Coupon}

        @bp.route("/customers/<int:customer_id>")
        def customer(customer_id):
            return str(database.get(Customer, customer_id).id)

        @bp.route("/coupons/<int:coupon_id>")
        def coupon(coupon_id):
            return str(database.get(Coupon, coupon_id).id)

        @bp.route("/orders/<int:order_id>")
        def order(order_id):
            return str(database.get_object_or_404(Order.get_by_id, order_id).id)

        @bp.route("/customers/<int:customer_id>/card")
        def card(customer_id):
            return str(Customer.get_by_id(customer_id).id)

        @bp.route("/lookup/<kind>")
        def lookup(kind):
            return str(database.get(MODELS[kind], int(request.args["id"])))
    """,
}
CUSTOMER, ORDER, COUPON = "shop.models:Customer", "shop.models:Order", "shop.models:Coupon"


def test_a_helpers_parameter_is_what_each_caller_passes() -> None:
    routes = routes_of(SERVICES)
    # Why: get() hands its model on to session_query(); each route passes one model class, and the
    # helpers query that one only (not every class some other route passes).
    assert routes[("/customers/{customer_id}", "GET")] == ([CUSTOMER], [])
    assert routes[("/coupons/{coupon_id}", "GET")] == ([COUPON], [])


def test_a_mixin_classmethod_queries_the_class_it_is_called_on() -> None:
    routes = routes_of(SERVICES)
    # Why: `cls` in ByIdMixin.get_by_id is Customer or Order; called on Order (through the lookup
    # get_object_or_404 is handed) it queries orders only, called on Customer customers only.
    assert routes[("/orders/{order_id}", "GET")] == ([ORDER], [])
    assert routes[("/customers/{customer_id}/card", "GET")] == ([CUSTOMER], [])


def test_a_caller_passing_one_of_several_models_keeps_them_all() -> None:
    # Why: the argument may be either class of the mapping: binding it to the caller's argument keeps both.
    assert routes_of(SERVICES)[("/lookup/{kind}", "GET")] == ([COUPON, CUSTOMER], [])


PROPERTIES = {
    **APP,
    "dash/models.py": APP["dash/models.py"]
    + """
        class Group(db.Model):
            __tablename__ = "groups"
            id = db.Column(db.Integer, primary_key=True)

        class Member(db.Model):
            __tablename__ = "members"
            id = db.Column(db.Integer, primary_key=True)
            group_id = db.Column(db.Integer)

            @property
            def permissions(self):
                return [g.id for g in Group.query.filter(Group.id == self.group_id)]
    """,
    "dash/views.py": """
        from flask import Blueprint, request
        from dash.models import Member

        bp = Blueprint("dash", __name__)

        class Settings:
            @property
            def permissions(self):
                return []

        @bp.route("/members/<int:member_id>/permissions")
        def member_permissions(member_id):
            member = Member.query.get(member_id)
            return str(member.permissions)

        @bp.route("/settings")
        def settings():
            return str(Settings().permissions + [request.args.get("permissions")])
    """,
}
GROUP, MEMBER = "dash.models:Group", "dash.models:Member"


def test_reading_a_models_property_runs_its_getter() -> None:
    # Why: `member.permissions` is a property of Member whose getter queries groups.
    assert routes_of(PROPERTIES)[("/members/{member_id}/permissions", "GET")] == ([GROUP, MEMBER], [])


def test_a_property_of_the_same_name_on_another_class_reads_nothing() -> None:
    # Why: Settings is no model and Settings().permissions is its own getter: no group is read.
    assert routes_of(PROPERTIES)[("/settings", "GET")] == ([], [])
