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


IDENTITY = {
    "keys/__init__.py": """
        from flask import Flask
        from flask_principal import Principal
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()
        principal = Principal()

        def create_app():
            app = Flask(__name__)
            db.init_app(app)
            principal.init_app(app)
            from keys.views import bp
            app.register_blueprint(bp)
            return app
    """,
    "keys/models.py": """
        from keys import db

        roles_users = db.Table(
            "roles_users",
            db.Column("user_id", db.Integer, db.ForeignKey("users.id")),
            db.Column("role_id", db.Integer, db.ForeignKey("roles.id")),
        )

        class Role(db.Model):
            __tablename__ = "roles"
            id = db.Column(db.Integer, primary_key=True)
            name = db.Column(db.String(80))

        class User(db.Model):
            __tablename__ = "users"
            id = db.Column(db.Integer, primary_key=True)
            roles = db.relationship("Role", secondary=roles_users)

        class Certificate(db.Model):
            __tablename__ = "certificates"
            id = db.Column(db.Integer, primary_key=True)
    """,
    "keys/auth.py": """
        import functools
        from flask import current_app, g, request
        from flask_principal import Identity, RoleNeed, identity_changed, identity_loaded
        from keys.models import User

        @identity_loaded.connect
        def on_identity_loaded(sender, identity):
            user = User.query.get(identity.id)
            for role in user.roles:
                identity.provides.add(RoleNeed(role.name))

        def login_required(f):
            @functools.wraps(f)
            def decorated(*args, **kwargs):
                g.user_id = int(request.headers["X-User"])
                identity_changed.send(current_app._get_current_object(), identity=Identity(g.user_id))
                return f(*args, **kwargs)
            return decorated
    """,
    "keys/views.py": """
        from flask import Blueprint, g
        from keys.auth import login_required
        from keys.models import Certificate, User

        bp = Blueprint("keys", __name__)

        @bp.route("/certificates")
        @login_required
        def certificates():
            return str(Certificate.query.all())

        @bp.route("/public")
        def public():
            return str(Certificate.query.count())

        @bp.route("/roles/<int:user_id>")
        def roles(user_id):
            user = User.query.get(user_id)
            return ", ".join(role.name for role in user.roles)

        @bp.route("/role-table")
        def role_table():
            return str([column.name for column in User.roles.property.columns])
    """,
}
ROLE, KEY_USER, CERT = "keys.models:Role", "keys.models:User", "keys.models:Certificate"


def test_iterating_a_relation_of_a_row_reads_its_model_and_association_table() -> None:
    # Why: `user.roles` is loaded when it is iterated: roles joined with roles_users.
    assert routes_of(IDENTITY)[("/roles/{user_id}", "GET")] == ([ROLE, KEY_USER, "table:roles_users"], [])


def test_a_relation_of_the_class_is_no_load() -> None:
    # Why: `User.roles` is the mapped attribute (metadata), not a user's roles.
    assert routes_of(IDENTITY)[("/role-table", "GET")] == ([], [])


def test_sending_a_signal_runs_its_receivers_and_what_they_relay() -> None:
    routes = routes_of(IDENTITY)
    # Why: login_required sends identity_changed; Flask-Principal's own receiver sends identity_loaded,
    # whose receiver of the app loads the user and iterates its roles, within the request.
    assert routes[("/certificates", "GET")] == ([CERT, ROLE, KEY_USER, "table:roles_users"], [])
    # Why: a view that sends nothing runs no receiver.
    assert routes[("/public", "GET")] == ([CERT], [])


HANDLERS = {
    "conf/__init__.py": """
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()

        def create_app():
            app = Flask(__name__)
            db.init_app(app)
            from conf.views import bp
            app.register_blueprint(bp)
            return app
    """,
    "conf/models.py": """
        from conf import db

        class Event(db.Model):
            __tablename__ = "events"
            id = db.Column(db.Integer, primary_key=True)

            def to_dict(self):
                return {"id": self.id}

            def archive(self):
                db.session.delete(self)

        class Attachment(db.Model):
            __tablename__ = "attachments"
            id = db.Column(db.Integer, primary_key=True)

            def to_dict(self):
                return {"folders": Folder.query.count()}

            def archive(self):
                db.session.delete(self)

        class Folder(db.Model):
            __tablename__ = "folders"
            id = db.Column(db.Integer, primary_key=True)
    """,
    "conf/rh.py": """
        import functools
        from flask import abort, request

        class RH:
            def process(self):
                self._check_access()
                return self._process()

            def _check_access(self):
                pass

        class AttachmentsMixin:
            def _process(self):
                from conf.models import Attachment
                return str(Attachment.query.all())

        def run(rh_class):
            return rh_class().process()

        class require_permissions:
            def __init__(self, permissions):
                self.permissions = permissions

            def __call__(self, fn):
                @functools.wraps(fn)
                def decorated(*args, **kwargs):
                    if request.args.get("role") not in self.permissions:
                        abort(403)
                    return fn(*args, **kwargs)
                return decorated

        def require_permission(permission):
            return require_permissions((permission,))

        def require_admin(fn):
            return require_permission("admin")(fn)
    """,
    "conf/views.py": """
        from flask import Blueprint
        from flask_restful import Api, Resource
        from conf import db
        from conf.models import Attachment, Event
        from conf.rh import RH, AttachmentsMixin, require_admin, run

        bp = Blueprint("conf", __name__)

        class RHEvent(RH):
            def _process(self):
                return str(Event.query.get(1).to_dict())

        class RHAttachments(AttachmentsMixin, RH):
            pass

        class ExportView(Resource):
            @require_admin
            def get(self):
                return str([e.to_dict() for e in Event.query.all()])

            @require_admin
            def delete(self):
                for event in Event.query.all():
                    event.archive()
                db.session.commit()
                return "ok"

        def purge():
            for item in (Event(), Attachment()):
                item.archive()

        bp.add_url_rule("/event", "event", RHEvent)
        bp.add_url_rule("/attachments", "attachments", RHAttachments)

        def warm_up():
            return [run(RHEvent), run(RHAttachments)]
        api = Api(bp)
        api.add_resource(ExportView, "/export")
    """,
}
EVENT, ATTACHMENT, FOLDER = "conf.models:Event", "conf.models:Attachment", "conf.models:Folder"


def routes_by_view(files: dict[str, str]) -> dict[tuple[str, str], tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {(route.path, method): (route.reads, route.writes) for route in found.routes for method in route.methods}


def test_a_base_handlers_self_calls_dispatch_in_the_view_class() -> None:
    routes = routes_by_view(HANDLERS)
    # Why: both routes run RH.process; its `self._process()` is RHEvent's own for /event, and the one
    # AttachmentsMixin gives RHAttachments for /attachments: neither runs the other's.
    assert routes[("/event", "GET")][0] == [EVENT]
    assert routes[("/attachments", "GET")][0] == [ATTACHMENT]


def test_a_view_method_behind_a_decorators_wrapper_runs_its_body() -> None:
    # Why: ExportView.get is bound to the wrapper require_admin's __call__ returns (the route's handler);
    # the route runs the method's own body too:
    # `e.to_dict()` on events reaches Event.to_dict only (not Attachment's, which reads folders).
    assert routes_by_view(HANDLERS)[("/export", "GET")] == ([EVENT], [])


def test_self_in_a_models_method_is_an_instance_of_that_model() -> None:
    # Why: purge() calls archive() on an Event and an Attachment, so the link stage gives `self` in each
    # archive() both; Event.archive deletes events only.
    assert routes_by_view(HANDLERS)[("/export", "DELETE")] == ([EVENT], [EVENT])


MODULES = {
    **SERVICES,
    "shop/cache.py": """
        class Cache:
            def get(self, key):
                return None

        store = Cache()
    """,
    "shop/views.py": """
        from flask import Blueprint
        from shop import cache, db, models

        bp = Blueprint("shop", __name__)

        @bp.route("/orders/<int:order_id>", methods=["DELETE"])
        def delete_order(order_id):
            order = models.Order.query.get(order_id)
            db.session.delete(order)
            db.session.commit()
            return "ok"

        @bp.route("/cached/<key>")
        def cached(key):
            return str(cache.store.get(key))
    """,
}


def test_a_model_named_through_its_module_is_that_model() -> None:
    routes = routes_of(MODULES)
    # Why: `models.Order` is the Order class reached through the module: the chain reads and deletes orders.
    assert routes[("/orders/{order_id}", "DELETE")] == ([ORDER], [ORDER])
    # Why: `cache.store.get(...)` goes through a module to an object that is no model: nothing is read.
    assert routes[("/cached/{key}", "GET")] == ([], [])


CREATED = {
    **SERVICES,
    "shop/database.py": SERVICES["shop/database.py"]
    + """
        def create(instance):
            db.session.add(instance)
            db.session.commit()
            return instance
    """,
    "shop/views.py": """
        from flask import Blueprint
        from shop import database, db
        from shop.models import Customer, Order

        bp = Blueprint("shop", __name__)

        @bp.route("/orders", methods=["POST"])
        def new_order():
            order = Order()
            order = database.create(order)
            order.note = "created"
            db.session.commit()
            return str(order.id)

        @bp.route("/customers", methods=["POST"])
        def new_customer():
            return str(database.create(Customer()).id)
    """,
}


def test_a_local_this_recognizer_knows_the_model_of_keeps_to_it() -> None:
    routes = routes_of(CREATED)
    # Why: create() returns whatever it is given, so the link stage gives `order` every model any caller
    # creates (a Customer too); the local is bound to an Order only: the route writes orders.
    assert routes[("/orders", "POST")] == ([], [ORDER])
    assert routes[("/customers", "POST")] == ([], [CUSTOMER])
