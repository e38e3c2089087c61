"""Flask route recognizer: every way a view is registered, with positive and negative cases.

Each test parses small multi-file snippets (module names from the paths),
links them and runs the Flask recognizer alone, then asserts the exact
(path, methods, handler, action) rows of `found.routes` and the exact
(file, line) places of `found.unresolved`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.model.inventory import Recognition
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import flask

HEURISTICS = load_heuristics()

Row = tuple[str, tuple[str, ...], str, str | None]


def found(files: Mapping[str, str]) -> Recognition:
    return flask.recognize(link(facts_of(files)), HEURISTICS)


def routes(files: Mapping[str, str]) -> set[Row]:
    return {(r.path, tuple(r.methods), r.handler, r.action) for r in found(files).routes}


def unresolved(files: Mapping[str, str]) -> set[tuple[str, int]]:
    return {(u.location.file, u.location.line) for u in found(files).unresolved}


# -- @app.route and the method shortcuts --------------------------------------------------------


def test_app_route_with_and_without_methods() -> None:
    files = {
        "app.py": """
            from flask import Flask
            app = Flask(__name__)

            # methods= given: exactly those methods, upper-cased
            @app.route("/orders/<int:order_id>", methods=["GET", "post"])
            def order(order_id):
                return ""

            # no methods=: Flask's default, GET
            @app.route("/health")
            def health():
                return ""

            # rule= as a keyword is still the rule
            @app.route(rule="/kw", methods=("DELETE",))
            def kw():
                return ""
        """
    }
    assert routes(files) == {
        ("/orders/{order_id}", ("GET", "POST"), "app:order", None),
        ("/health", ("GET",), "app:health", None),
        ("/kw", ("DELETE",), "app:kw", None),
    }
    assert unresolved(files) == set()


def test_method_shortcuts_on_app_and_blueprint() -> None:
    files = {
        "app.py": """
            from flask import Flask, Blueprint
            app = Flask(__name__)
            bp = Blueprint("items", __name__, url_prefix="/items")

            @app.get("/a")
            def a_get():
                return ""

            @app.post("/a")
            def a_post():
                return ""

            @bp.put("/<id>")
            def b_put(id):
                return ""

            @bp.patch("/<id>")
            def b_patch(id):
                return ""

            @bp.delete("/<id>")
            def b_delete(id):
                return ""
        """
    }
    # each shortcut gives its one method; the blueprint's constructor prefix applies
    assert routes(files) == {
        ("/a", ("GET",), "app:a_get", None),
        ("/a", ("POST",), "app:a_post", None),
        ("/items/{id}", ("PUT",), "app:b_put", None),
        ("/items/{id}", ("PATCH",), "app:b_patch", None),
        ("/items/{id}", ("DELETE",), "app:b_delete", None),
    }


def test_blueprint_imported_under_an_alias() -> None:
    # `Blueprint as BP`: the constructor is still recognized through the alias
    files = {
        "app.py": """
            from flask import Blueprint as BP
            import flask as fl
            bp = BP("x", __name__, url_prefix="/x")
            other = fl.Blueprint("y", __name__, url_prefix="/y")

            @bp.route("/one")
            def one():
                return ""

            @other.route("/two")
            def two():
                return ""
        """
    }
    assert routes(files) == {
        ("/x/one", ("GET",), "app:one", None),
        ("/y/two", ("GET",), "app:two", None),
    }


# -- blueprints across files, prefixes and app factories ----------------------------------------


PACKAGE = {
    "shop/__init__.py": """
        from flask import Blueprint
        bp = Blueprint("shop", __name__, url_prefix="/shop")
        from . import routes
    """,
    "shop/routes.py": """
        from . import bp

        @bp.route("/cart", methods=["GET", "POST"])
        def cart():
            return ""
    """,
}


def test_blueprint_made_in_package_init_used_in_routes_module() -> None:
    # never registered anywhere: the constructor's url_prefix is all we know
    assert routes(PACKAGE) == {("/shop/cart", ("GET", "POST"), "shop.routes:cart", None)}
    assert unresolved(PACKAGE) == set()


def test_register_blueprint_in_app_factory_overrides_constructor_prefix() -> None:
    files = {
        **PACKAGE,
        "factory.py": """
            from flask import Flask
            from shop import bp

            def create_app():
                app = Flask(__name__)
                app.register_blueprint(bp, url_prefix="/api/shop")
                return app
        """,
    }
    # url_prefix given at registration wins over the constructor's
    assert routes(files) == {("/api/shop/cart", ("GET", "POST"), "shop.routes:cart", None)}


def test_register_blueprint_without_prefix_keeps_constructor_prefix() -> None:
    files = {
        **PACKAGE,
        "factory.py": """
            from flask import Flask
            from shop import bp

            def create_app():
                app = Flask(__name__)
                app.register_blueprint(bp)
                return app
        """,
    }
    assert routes(files) == {("/shop/cart", ("GET", "POST"), "shop.routes:cart", None)}


def test_register_blueprint_in_helper_taking_the_app_as_a_parameter() -> None:
    files = {
        **PACKAGE,
        "factory.py": """
            from flask import Flask
            from shop import bp

            def register_blueprints(app: Flask):
                app.register_blueprint(bp, url_prefix="/v2")

            def create_app():
                app = Flask(__name__)
                register_blueprints(app)
                return app
        """,
    }
    # the parameter is known to be a Flask app by its annotation: the override applies
    assert routes(files) == {("/v2/cart", ("GET", "POST"), "shop.routes:cart", None)}
    assert unresolved(files) == set()


def test_register_blueprint_in_helper_with_unannotated_app_parameter() -> None:
    files = {
        **PACKAGE,
        "factory.py": """
            from flask import Flask
            from shop import bp

            def register_blueprints(app):
                app.register_blueprint(bp, url_prefix="/v2")

            def create_app():
                app = Flask(__name__)
                register_blueprints(app)
                return app
        """,
    }
    # the parameter's value flows from the call site `register_blueprints(app)`
    assert routes(files) == {("/v2/cart", ("GET", "POST"), "shop.routes:cart", None)}
    assert unresolved(files) == set()


def test_nested_blueprints_join_prefixes() -> None:
    files = {
        "app.py": """
            from flask import Flask, Blueprint
            app = Flask(__name__)
            parent = Blueprint("parent", __name__, url_prefix="/parent")
            child = Blueprint("child", __name__, url_prefix="/ignored")

            @child.route("/leaf")
            def leaf():
                return ""

            @parent.route("/")
            def root():
                return ""

            parent.register_blueprint(child, url_prefix="/child")
            app.register_blueprint(parent, url_prefix="/api")
        """
    }
    # the child's own prefix is replaced by the one given at nesting; parent's by the app's
    assert routes(files) == {
        ("/api/child/leaf", ("GET",), "app:leaf", None),
        ("/api/", ("GET",), "app:root", None),
    }


def test_blueprint_registered_twice_gets_both_prefixes() -> None:
    files = {
        "app.py": """
            from flask import Flask, Blueprint
            app = Flask(__name__)
            bp = Blueprint("bp", __name__)

            @bp.route("/x")
            def x():
                return ""

            app.register_blueprint(bp, url_prefix="/v1")
            app.register_blueprint(bp, url_prefix="/v2", name="bp2")
        """
    }
    assert routes(files) == {("/v1/x", ("GET",), "app:x", None), ("/v2/x", ("GET",), "app:x", None)}


# -- add_url_rule and class-based views ------------------------------------------------------------


VIEWS = """
from flask.views import MethodView, View

class Base(MethodView):
    def get(self):
        return ""

class Items(Base):
    def post(self):
        return ""

class Report(View):
    methods = ["GET", "POST"]

    def dispatch_request(self):
        return ""
"""


def test_add_url_rule_with_a_function() -> None:
    files = {
        "app.py": """
            from flask import Flask
            app = Flask(__name__)

            def index():
                return ""

            # positional view_func (rule, endpoint, view_func)
            app.add_url_rule("/", "index", index)
            # keyword view_func with methods
            app.add_url_rule("/post", view_func=index, methods=["POST"])
        """
    }
    assert routes(files) == {
        ("/", ("GET",), "app:index", None),
        ("/post", ("POST",), "app:index", None),
    }
    assert unresolved(files) == set()


def test_an_add_url_rule_with_a_computed_rule_is_kept_with_parameters_shown() -> None:
    files = {
        "app.py": """
            from flask import Blueprint

            home = Blueprint("home", __name__)
            mapping = fetch_locales()  # known only at run time

            def redirect_locale(target_locale, path=None):
                return ""

            for locale in mapping:
                legacy = locale[0]
                home.add_url_rule(f"/{legacy}/", view_func=redirect_locale)
                home.add_url_rule("/{}/<path:path>".format(legacy), view_func=redirect_locale)
                home.add_url_rule(legacy, view_func=redirect_locale)  # nothing of it is known: left out
        """
    }
    assert routes(files) == {
        ("/{legacy}/", ("GET",), "app:redirect_locale", None),
        ("/{value}/{path}", ("GET",), "app:redirect_locale", None),
    }
    details = sorted(u.detail for u in found(files).unresolved)
    assert details == [
        "add_url_rule without a literal rule or a view function",
        "route computed at run time, shown as '/{legacy}/'",
        "route computed at run time, shown as '/{value}/<path:path>'",
    ]


def test_a_decorator_factory_registering_its_class_pairs_each_class_with_its_own_urls() -> None:
    files = {
        "api/__init__.py": """
            from flask import Blueprint
            from flask_restful import Api, Resource

            bp = Blueprint("api", __name__)
            api = Api()
            api.init_app(bp)

            def resource(*urls, **kwargs):
                def wrapper(api_resource):
                    if not api_resource:
                        return None
                    api.add_resource(api_resource, *urls, **kwargs)
                    return api_resource

                return wrapper

            def show_if(value):
                def switch(inner):
                    if not value:
                        return None
                    return inner

                return switch
        """,
        "api/user.py": """
            from flask_restful import Resource
            from api import resource, show_if

            @resource("/v1/user/")
            class User(Resource):
                def get(self):
                    return {}

            @resource("/v1/orgs/<org>", "/v1/organizations/<org>")
            @show_if(True)
            class Org(Resource):
                def get(self, org):
                    return {}

                def delete(self, org):
                    return {}
        """,
    }
    assert {(p, m, h) for p, (m,), h, _ in routes(files)} == {
        ("/v1/user/", "GET", "api.user:User.get"),
        ("/v1/orgs/{org}", "GET", "api.user:Org.get"),
        ("/v1/orgs/{org}", "DELETE", "api.user:Org.delete"),
        ("/v1/organizations/{org}", "GET", "api.user:Org.get"),
        ("/v1/organizations/{org}", "DELETE", "api.user:Org.delete"),
    }


def test_a_blueprint_handed_through_a_helper_that_returns_it_is_that_blueprint() -> None:
    files = {
        "metrics.py": """
            def timed_blueprint(bp, get_app=None):
                def _before():
                    return None

                bp.before_request(_before)
                return bp

            def renamed(bp):
                return bp.name  # gives back something else: no blueprint
        """,
        "v1.py": """
            from flask import Blueprint
            from metrics import renamed, timed_blueprint

            v1_bp = timed_blueprint(Blueprint("v1", __name__, url_prefix="/v1"), get_app=None)
            other = renamed(Blueprint("other", __name__))

            @v1_bp.route("/_ping")
            def ping():
                return "true"

            @other.route("/x")
            def x():
                return ""
        """,
    }
    assert routes(files) == {("/v1/_ping", ("GET",), "v1:ping", None)}


def test_a_computed_rule_inside_a_helper_stays_unresolved() -> None:
    files = {
        "nodes.py": """
            from flask import Blueprint
            from flask.views import View

            class NodeView(View):
                def dispatch_request(self, **kwargs):
                    return ""

                @classmethod
                def register_node_view(cls, blueprint):
                    for command in cls.generate_ops():
                        blueprint.add_url_rule("/{0}".format(command["cmd"]), view_func=cls.as_view(command["cmd"]))

            class TableView(NodeView):
                pass

            class ColumnView(NodeView):
                pass

            tables = Blueprint("tables", __name__)
            columns = Blueprint("columns", __name__)
            TableView.register_node_view(tables)
            ColumnView.register_node_view(columns)
        """
    }
    assert routes(files) == set()  # each call site would add `/{value}` for every view: nothing to show
    assert {detail for detail in (u.detail for u in found(files).unresolved)} == {
        "add_url_rule without a literal rule or a view function"
    }


def test_method_view_as_view_directly_and_through_a_variable() -> None:
    files = {
        "views.py": VIEWS,
        "app.py": """
            from flask import Flask
            from views import Items
            app = Flask(__name__)

            app.add_url_rule("/items", view_func=Items.as_view("items"))

            items_view = Items.as_view("items2")
            app.add_url_rule("/items2", view_func=items_view)
        """,
    }
    # one route per HTTP method; `get` is inherited from Base through the MRO
    assert routes(files) == {
        ("/items", ("GET",), "views:Base.get", "get"),
        ("/items", ("POST",), "views:Items.post", "post"),
        ("/items2", ("GET",), "views:Base.get", "get"),
        ("/items2", ("POST",), "views:Items.post", "post"),
    }
    assert unresolved(files) == set()


def test_method_view_restricted_by_methods_argument() -> None:
    files = {
        "views.py": VIEWS,
        "app.py": """
            from flask import Flask
            from views import Items
            app = Flask(__name__)
            app.add_url_rule("/ro", view_func=Items.as_view("ro"), methods=["GET"])
        """,
    }
    assert routes(files) == {("/ro", ("GET",), "views:Base.get", "get")}


def test_plain_view_with_dispatch_request_and_methods() -> None:
    files = {
        "views.py": VIEWS,
        "app.py": """
            from flask import Flask
            from views import Report
            app = Flask(__name__)
            app.add_url_rule("/report", view_func=Report.as_view("report"), methods=["GET", "POST"])
            app.add_url_rule("/report-default", view_func=Report.as_view("report2"))
        """,
    }
    # dispatch_request serves each declared method; without methods= the class's own `methods` list
    assert routes(files) == {
        ("/report", ("GET",), "views:Report.dispatch_request", "get"),
        ("/report", ("POST",), "views:Report.dispatch_request", "post"),
        ("/report-default", ("GET",), "views:Report.dispatch_request", "get"),
        ("/report-default", ("POST",), "views:Report.dispatch_request", "post"),
    }


def test_plain_view_class_methods_attribute_is_honoured() -> None:
    files = {
        "views.py": VIEWS,
        "app.py": """
            from flask import Flask
            from views import Report
            app = Flask(__name__)
            app.add_url_rule("/report", view_func=Report.as_view("report"))
        """,
    }
    # Flask uses Report.methods = ["GET", "POST"] when add_url_rule gets no methods=
    assert routes(files) == {
        ("/report", ("GET",), "views:Report.dispatch_request", "get"),
        ("/report", ("POST",), "views:Report.dispatch_request", "post"),
    }


# -- Flask-RESTful -------------------------------------------------------------------------------


RESOURCES = """
from flask_restful import Resource

class Orders(Resource):
    def get(self):
        return {}

    def delete(self):
        return {}
"""


def test_restful_api_on_a_blueprint_with_several_paths() -> None:
    files = {
        "resources.py": RESOURCES,
        "app.py": """
            from flask import Flask, Blueprint
            from flask_restful import Api
            from resources import Orders

            bp = Blueprint("api", __name__, url_prefix="/api")
            api = Api(bp)
            api.add_resource(Orders, "/a", "/b")

            app = Flask(__name__)
            app.register_blueprint(bp, url_prefix="/v1")
        """,
    }
    # each path x each method of the resource; the Api inherits the blueprint's mount point
    assert routes(files) == {
        ("/v1/a", ("GET",), "resources:Orders.get", "get"),
        ("/v1/a", ("DELETE",), "resources:Orders.delete", "delete"),
        ("/v1/b", ("GET",), "resources:Orders.get", "get"),
        ("/v1/b", ("DELETE",), "resources:Orders.delete", "delete"),
    }


def test_restful_api_with_init_app() -> None:
    files = {
        "resources.py": RESOURCES,
        "app.py": """
            from flask import Flask
            from flask_restful import Api
            from resources import Orders

            api = Api(prefix="/r")
            api.add_resource(Orders, "/o")
            app = Flask(__name__)
            api.init_app(app)
        """,
    }
    assert routes(files) == {
        ("/r/o", ("GET",), "resources:Orders.get", "get"),
        ("/r/o", ("DELETE",), "resources:Orders.delete", "delete"),
    }


def test_api_subclass_of_ours() -> None:
    files = {
        "resources.py": RESOURCES,
        "app.py": """
            from flask_restful import Api
            from resources import Orders

            class MyApi(Api):
                def handle_error(self, e):
                    return super().handle_error(e)

            api = MyApi()
            api.add_resource(Orders, "/o")
        """,
    }
    # the constructor is ours, but its base is flask_restful.Api: still an Api
    assert routes(files) == {
        ("/o", ("GET",), "resources:Orders.get", "get"),
        ("/o", ("DELETE",), "resources:Orders.delete", "delete"),
    }


# -- imports: star imports and re-exports ---------------------------------------------------------


def test_blueprint_reexported_through_init_and_registered_as_package_attribute() -> None:
    files = {
        "pkg/__init__.py": """
            from pkg.blueprints import admin
        """,
        "pkg/blueprints.py": """
            from flask import Blueprint
            admin = Blueprint("admin", __name__, url_prefix="/admin")
        """,
        "pkg/views.py": """
            from pkg import admin

            @admin.route("/users")
            def users():
                return ""
        """,
        "factory.py": """
            from flask import Flask
            import pkg

            def create_app():
                app = Flask(__name__)
                app.register_blueprint(pkg.admin, url_prefix="/backoffice")
                return app
        """,
    }
    # the same object reached through the re-export, `from pkg import admin` and `pkg.admin`
    assert routes(files) == {("/backoffice/users", ("GET",), "pkg.views:users", None)}
    assert unresolved(files) == set()


STAR = {
    "pkg/__init__.py": """
        from pkg.blueprints import *
    """,
    "pkg/blueprints.py": """
        from flask import Blueprint
        admin = Blueprint("admin", __name__, url_prefix="/admin")
    """,
    "pkg/views.py": """
        from pkg import admin

        @admin.route("/users")
        def users():
            return ""
    """,
}


def test_blueprint_reexported_through_star_import_in_init() -> None:
    assert routes(STAR) == {("/admin/users", ("GET",), "pkg.views:users", None)}
    assert unresolved(STAR) == set()


def test_blueprint_star_imported_directly_into_the_views_module() -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/blueprints.py": STAR["pkg/blueprints.py"],
        "pkg/views.py": """
            from pkg.blueprints import *

            @admin.route("/users")
            def users():
                return ""
        """,
    }
    assert routes(files) == {("/admin/users", ("GET",), "pkg.views:users", None)}


def test_blueprint_reexported_explicitly_through_init() -> None:
    files = {
        "pkg/__init__.py": """
            from .bps import api as api_bp
        """,
        "pkg/bps.py": """
            from flask import Blueprint
            api = Blueprint("api", __name__, url_prefix="/api")
        """,
        "pkg/views.py": """
            from pkg import api_bp

            @api_bp.post("/things")
            def create():
                return ""
        """,
    }
    assert routes(files) == {("/api/things", ("POST",), "pkg.views:create", None)}


# -- negatives: not Flask, not routes ----------------------------------------------------------------


def test_local_function_named_route_and_non_flask_router_give_nothing() -> None:
    files = {
        "app.py": """
            from flask import Flask
            app = Flask(__name__)

            def route(path):
                return lambda f: f

            class Router:
                def route(self, p):
                    return lambda f: f

                def add_url_rule(self, p, view_func=None):
                    pass

            router = Router()

            # a local function merely named `route`
            @route("/local")
            def local():
                return ""

            # an object that is not Flask, with a `route` method
            @router.route("/router")
            def via_router():
                return ""

            router.add_url_rule("/rule", view_func=local)
        """
    }
    assert routes(files) == set()
    assert unresolved(files) == set()


def test_no_flask_object_at_all_gives_nothing() -> None:
    files = {
        "app.py": """
            class Router:
                def route(self, p):
                    return lambda f: f

            app = Router()

            @app.route("/x")
            def x():
                return ""
        """
    }
    assert routes(files) == set()
    assert unresolved(files) == set()


def test_error_handlers_and_request_hooks_are_not_routes() -> None:
    files = {
        "app.py": """
            from flask import Flask, Blueprint
            app = Flask(__name__)
            bp = Blueprint("bp", __name__)

            @app.errorhandler(404)
            def not_found(e):
                return ""

            @bp.before_request
            def before():
                pass

            @app.after_request
            def after(response):
                return response

            @bp.app_errorhandler(500)
            def boom(e):
                return ""

            @bp.route("/real")
            def real():
                return ""
        """
    }
    assert routes(files) == {("/real", ("GET",), "app:real", None)}
    assert unresolved(files) == set()


# -- unresolved ----------------------------------------------------------------------------------------


def test_rule_read_from_the_environment_is_unresolved_with_its_line() -> None:
    files = {
        "app.py": """
            import os
            from flask import Blueprint
            bp = Blueprint("bp", __name__)

            @bp.route(os.environ["ROUTE"])
            def configured():
                return ""

            bp.add_url_rule(os.environ["ROUTE"], view_func=configured)
        """,
    }
    # decorator: the line of the `def`; add_url_rule: the call's line (line 1 is the blank after the quotes)
    assert routes(files) == set()
    assert unresolved(files) == {("app.py", 7), ("app.py", 10)}


def test_rules_and_prefixes_folded_from_constants_and_helpers() -> None:
    files = {
        "config.py": """
            PATH_FROM_CONFIG = "/configured"
            API_VERSION = 2
            PREFIX = ""
            if API_VERSION > 1:
                PREFIX = "/legacy"   # Why: a conditional override; the literal default wins
        """,
        "app.py": """
            from flask import Blueprint
            from config import API_VERSION, PATH_FROM_CONFIG, PREFIX

            def scoped(rule):
                if API_VERSION > 5:
                    return "/<org>" + rule
                return rule

            bp = Blueprint("bp", __name__, url_prefix=f"/api/v{API_VERSION}")
            other = Blueprint("other", __name__, url_prefix=PREFIX + "/other")

            @bp.route(PATH_FROM_CONFIG)
            def configured():
                return ""

            @other.route(scoped("/x/<int:id>"))
            def scoped_view(id):
                return ""

            bp.add_url_rule("/%s/%s" % ("a", API_VERSION), view_func=configured)
            bp.add_url_rule("/{}/{name}".format("b", name="c"), view_func=configured)
        """,
    }
    assert routes(files) == {
        ("/api/v2/configured", ("GET",), "app:configured", None),
        ("/api/v2/a/2", ("GET",), "app:configured", None),
        ("/api/v2/b/c", ("GET",), "app:configured", None),
        ("/other/x/{id}", ("GET",), "app:scoped_view", None),
    }
    assert unresolved(files) == set()


def test_blueprints_registered_through_a_factory_parameter_and_a_loop() -> None:
    files = {
        "shop/views.py": """
            from flask import Blueprint
            orders = Blueprint("orders", __name__)
            users = Blueprint("users", __name__)
            health = Blueprint("health", __name__)

            @orders.route("/orders")
            def list_orders():
                return ""

            @users.route("/users")
            def list_users():
                return ""

            @health.route("/health")
            def ping():
                return ""
        """,
        "shop/factory.py": """
            from flask import Flask
            from shop.views import health

            DEFAULTS = (health,)
            API_VERSION = 1

            def create_app(blueprints=None):
                app = Flask(__name__)
                if not blueprints:
                    blueprints = DEFAULTS
                else:
                    blueprints = blueprints + DEFAULTS
                register(app, blueprints)
                return app

            def register(app, blueprints):
                for blueprint in blueprints:
                    app.register_blueprint(blueprint, url_prefix=f"/api/{API_VERSION}")
        """,
        "shop/__init__.py": """
            from shop import factory
            from shop.views import orders, users

            BLUEPRINTS = (orders, users)

            def create_app():
                return factory.create_app(blueprints=BLUEPRINTS)
        """,
    }
    assert {path for path, *_ in routes(files)} == {"/api/1/orders", "/api/1/users", "/api/1/health"}


def test_a_restx_namespace_serves_at_its_name_or_the_path_it_is_added_with() -> None:
    files = {
        "api.py": """
            from flask import Blueprint
            from flask_restx import Api, Namespace, Resource

            blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
            api = Api(blueprint, version="v1")
            users = Namespace("users")
            teams = Namespace("teams", path="/groups")
            awards = Namespace("awards")
            api.add_namespace(users)
            api.add_namespace(teams)
            api.add_namespace(awards, "/prizes")

            @users.route("/<int:user_id>")
            class User(Resource):
                def get(self, user_id):
                    return {}

            @teams.route("")
            class TeamList(Resource):
                def get(self):
                    return []

            @awards.route("/")
            class AwardList(Resource):
                def post(self):
                    return {}
        """,
    }
    assert routes(files) == {
        ("/api/v1/users/{user_id}", ("GET",), "api:User.get", "get"),
        ("/api/v1/groups", ("GET",), "api:TeamList.get", "get"),
        ("/api/v1/prizes/", ("POST",), "api:AwardList.post", "post"),
    }


def test_routes_registered_in_a_loop() -> None:
    files = {
        "app.py": """
            from flask import Blueprint
            bp = Blueprint("bp", __name__, url_prefix="/loop")

            def alpha():
                return ""

            def beta():
                return ""

            VIEWS = [("alpha", alpha), ("beta", beta)]

            for name, view in VIEWS:
                bp.add_url_rule(f"/{name}", view_func=view)
        """
    }
    # one registration per row of the table, the rule and the view from the same row (never crossed)
    assert routes(files) == {
        ("/loop/alpha", ("GET",), "app:alpha", None),
        ("/loop/beta", ("GET",), "app:beta", None),
    }
    assert unresolved(files) == set()


def test_routes_registered_in_a_loop_with_a_literal_rule() -> None:
    files = {
        "app.py": """
            from flask import Blueprint
            bp = Blueprint("bp", __name__)

            def a():
                return ""

            def b():
                return ""

            for view in (a, b):
                bp.add_url_rule("/same", view_func=view)
        """
    }
    # current behaviour: with a literal rule, the loop variable's possible values are all followed
    assert routes(files) == {("/same", ("GET",), "app:a", None), ("/same", ("GET",), "app:b", None)}
    assert unresolved(files) == set()


def test_blueprint_imported_inside_the_app_factory() -> None:
    files = {
        **PACKAGE,
        "factory.py": """
            from flask import Flask

            def create_app():
                app = Flask(__name__)
                from shop import bp
                app.register_blueprint(bp, url_prefix="/in")
                return app
        """,
    }
    # the usual circular-import-avoiding pattern: a function-local import is followed too
    assert routes(files) == {("/in/cart", ("GET", "POST"), "shop.routes:cart", None)}


def test_a_blueprint_from_another_framework_is_not_flask() -> None:
    files = {
        "app.py": """
            from sanic import Blueprint
            from flask import Flask
            app = Flask(__name__)
            bp = Blueprint("x", url_prefix="/s")

            @bp.route("/y")
            def y():
                return ""
        """
    }
    # same class name, different library: neither a route nor an unresolved place
    assert routes(files) == set()
    assert unresolved(files) == set()


def test_routes_registered_through_the_applications_own_helpers_per_call_site() -> None:
    files = {
        "app/base.py": """
            MULTI_ORG = False

            def org_scoped_rule(rule):
                if MULTI_ORG:
                    return "/<org_slug>{}".format(rule)
                return rule
        """,
        "app/api.py": """
            from flask_restful import Api, Resource
            from app.base import org_scoped_rule

            class ApiExt(Api):
                def add_org_resource(self, resource, *urls, **kwargs):
                    urls = [org_scoped_rule(url) for url in urls]
                    return self.add_resource(resource, *urls, **kwargs)

            class Alerts(Resource):
                def get(self):
                    return []

            class Alert(Resource):
                def delete(self, alert_id):
                    return {}

            api = ApiExt()
            api.add_org_resource(Alerts, "/api/alerts", endpoint="alerts")
            api.add_org_resource(Alert, "/api/alerts/<alert_id>", "/api/a/<alert_id>", endpoint="alert")
        """,
        "app/helpers.py": """
            def register_view(bp_or_app, routes, view_func, *args, **kwargs):
                for route in routes:
                    bp_or_app.add_url_rule(route, view_func=view_func, *args, **kwargs)
        """,
        "app/forum.py": """
            from flask import Blueprint
            from flask.views import MethodView
            from app.helpers import register_view

            forum = Blueprint("forum", __name__)

            class Topic(MethodView):
                def get(self, topic_id):
                    return ""

            def index():
                return ""

            register_view(forum, routes=["/topic/<int:topic_id>", "/t/<int:topic_id>"], view_func=Topic.as_view("t"))
            register_view(forum, routes=["/"], view_func=index)

            def load_blueprints(app):  # Why: a plugin hook nothing in the tree calls: `app` is untyped
                app.register_blueprint(forum, url_prefix=app.config["FORUM_URL_PREFIX"])
        """,
        "app/config.py": """
            class DefaultConfig:
                FORUM_URL_PREFIX = "/forum"
        """,
        "app/factory.py": """
            from flask import Flask

            def create_app():
                app = Flask(__name__)
                app.config.from_object("app.config.DefaultConfig")
                return app
        """,
    }
    assert routes(files) == {
        ("/api/alerts", ("GET",), "app.api:Alerts.get", "get"),
        ("/api/alerts/{alert_id}", ("DELETE",), "app.api:Alert.delete", "delete"),
        ("/api/a/{alert_id}", ("DELETE",), "app.api:Alert.delete", "delete"),
        ("/forum/topic/{topic_id}", ("GET",), "app.forum:Topic.get", "get"),
        ("/forum/t/{topic_id}", ("GET",), "app.forum:Topic.get", "get"),
        ("/forum/", ("GET",), "app.forum:index", None),
    }


def test_a_blueprint_subclass_overriding_add_url_rule_and_classes_as_views() -> None:
    files = {
        "app/wrappers.py": """
            from flask import Blueprint

            class AppBlueprint(Blueprint):
                def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
                    # Why: the override forwards its caller's registration; it registers nothing itself
                    return super().add_url_rule(rule, endpoint=endpoint, view_func=view_func, **options)
        """,
        "app/controllers.py": """
            class RHBase:
                def process(self):
                    return ""

            class RHDisplay(RHBase):
                pass
        """,
        "app/blueprint.py": """
            from app.controllers import RHDisplay
            from app.wrappers import AppBlueprint

            _bp = AppBlueprint("display", __name__, url_prefix="/event")
            _bp.add_url_rule("/<int:event_id>/", "display", RHDisplay)
        """,
    }
    assert {(r.path, r.handler, r.view) for r in found(files).routes} == {
        ("/event/{event_id}/", "app.controllers:RHBase.process", "app.controllers:RHDisplay"),
    }


def test_a_helper_with_more_call_sites_than_the_cap_is_reported_as_bounded() -> None:
    from migrate_scan.stages.recognize.evaluation import MAX_CALL_SITES

    count = MAX_CALL_SITES + 3
    calls = "\n".join(f'register(bp, "/r{i}", view)' for i in range(count))
    files = {
        "app.py": f"""
from flask import Blueprint
bp = Blueprint("bp", __name__)

def view():
    return ""

def register(owner, rule, view_func):
    owner.add_url_rule(rule, view_func=view_func)

{calls}
""",
    }
    result = found(files)
    # Why: the first MAX_CALL_SITES call sites in source order are followed, the rest reported, not guessed
    assert {r.path for r in result.routes} == {f"/r{i}" for i in range(MAX_CALL_SITES)}
    assert [(limit.stage, limit.limit, limit.cap, limit.hits, limit.dropped) for limit in result.limits] == [
        ("recognize", "call-sites-per-function", MAX_CALL_SITES, 1, 3)
    ]


def test_the_call_site_cap_reaches_the_report(tmp_path: Path) -> None:
    from migrate_scan import pipeline
    from migrate_scan.options import ScanOptions
    from migrate_scan.stages.recognize.evaluation import MAX_CALL_SITES

    calls = "\n".join(f'register(bp, "/r{i}", view)' for i in range(MAX_CALL_SITES + 3))
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "app.py").write_text(
        "from flask import Blueprint\nbp = Blueprint('bp', __name__)\n\ndef view():\n    return ''\n\n"
        f"def register(owner, rule, view_func):\n    owner.add_url_rule(rule, view_func=view_func)\n\n{calls}\n"
    )
    report = pipeline.run(ScanOptions(root=tree, jobs=1, use_cache=False, cache_dir=tmp_path / "cache"))
    # Why: a cap the recognizers reached must survive sorting the products into the report.
    assert [(limit.stage, limit.limit, limit.dropped) for limit in report.limits if limit.stage == "recognize"] == [
        ("recognize", "call-sites-per-function", 3)
    ]


# -- factories that return a view, markers an add_url_rule override strips --------------------------


def test_a_view_made_by_a_factory_call_is_the_closure_of_that_call() -> None:
    files = {
        "app/__init__.py": "",
        "app/util.py": """
            from functools import lru_cache
            from flask import redirect, url_for

            def redirect_view(endpoint):
                def _redirect(**kwargs):
                    return redirect(url_for(endpoint))
                return _redirect

            def make_view(obj):
                def wrapper(**kwargs):
                    return obj().process()
                return wrapper

            @lru_cache
            def dispatch(event_view, category_view):
                def view_func(**kwargs):
                    return event_view(**kwargs)
                return view_func

            def passthrough(view):
                return view
        """,
        "app/views.py": """
            from flask import Blueprint
            from app.util import dispatch, make_view, passthrough, redirect_view

            bp = Blueprint("core", __name__, url_prefix="/core")

            def home():
                return ""

            class RHPage:
                def process(self):
                    return ""

            bp.add_url_rule("/admin/", "admin", view_func=redirect_view(".settings"))
            bp.add_url_rule("/page", "page", make_view(RHPage))
            bp.add_url_rule("/both", "both", dispatch(home, home))
            bp.add_url_rule("/home", "home", passthrough(home))
        """,
    }
    assert {(p, h) for p, _, h, _ in routes(files)} == {
        ("/core/admin/", "app.util:redirect_view._redirect"),
        ("/core/page", "app.util:make_view.wrapper"),
        ("/core/both", "app.util:dispatch.view_func"),
        ("/core/home", "app.views:home"),
    }


MARKER_WRAPPERS = """
    from contextlib import contextmanager
    from flask import Blueprint
    from flask.blueprints import BlueprintSetupState

    class AppSetupState(BlueprintSetupState):
        @contextmanager
        def _unprefixed(self):
            prefix = self.url_prefix
            self.url_prefix = None
            try:
                yield
            finally:
                self.url_prefix = prefix

        def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
            if rule.startswith("!/"):
                with self._unprefixed():
                    super().add_url_rule(rule[1:], endpoint, view_func, **options)
            else:
                super().add_url_rule(rule, endpoint, view_func, **options)

    class AppBlueprint(Blueprint):
        def make_setup_state(self, app, options, first_registration=False):
            return AppSetupState(self, app, options, first_registration)
"""


def test_a_marker_the_override_strips_serves_the_rule_without_the_blueprint_prefix() -> None:
    files = {
        "app/__init__.py": "",
        "app/wrappers.py": MARKER_WRAPPERS,
        "app/views.py": """
            from app.wrappers import AppBlueprint

            bp = AppBlueprint("search", __name__, url_prefix="/event/<int:event_id>")
            base = "/manage"
            base += "/search"

            def search():
                return ""

            bp.add_url_rule("/search", "search", search)
            bp.add_url_rule("!/category/<int:category_id>/search", "category_search", search)
            bp.add_url_rule(f"{base}/", "manage", search)
        """,
    }
    assert {p for p, *_ in routes(files)} == {
        "/event/{event_id}/search",
        "/category/{category_id}/search",
        "/event/{event_id}/manage/search/",
    }


def test_a_marker_without_an_override_that_strips_it_is_left_as_written() -> None:
    files = {
        "app/__init__.py": "",
        "app/wrappers.py": MARKER_WRAPPERS.replace("rule[1:]", "rule"),
        "app/views.py": """
            from app.wrappers import AppBlueprint

            bp = AppBlueprint("search", __name__, url_prefix="/event")

            def search():
                return ""

            bp.add_url_rule("!/search", "search", search)
        """,
    }
    assert {p for p, *_ in routes(files)} == {"/event/!/search"}


def test_a_with_block_of_the_blueprints_own_context_manager_registers_each_rule_under_its_heads() -> None:
    files = {
        "app/__init__.py": "",
        "app/wrappers.py": """
            from contextlib import contextmanager
            from flask import Blueprint

            class AppBlueprint(Blueprint):
                def __init__(self, *args, **kwargs):
                    self.__prefix = None
                    self.__default_prefix = ""
                    super().__init__(*args, **kwargs)

                def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
                    super().add_url_rule(self.__default_prefix + rule, endpoint, view_func, **options)
                    if self.__prefix:
                        super().add_url_rule(self.__prefix + rule, endpoint, view_func, **options)

                @contextmanager
                def add_prefixed_rules(self, prefix, default_prefix=""):
                    self.__prefix = prefix
                    self.__default_prefix = default_prefix
                    try:
                        yield
                    finally:
                        self.__prefix = None
                        self.__default_prefix = ""
        """,
        "app/views.py": """
            from app.wrappers import AppBlueprint

            bp = AppBlueprint("abstracts", __name__, url_prefix="/event/<int:event_id>")

            def show():
                return ""

            bp.add_url_rule("/abstracts/", "list", show)
            with bp.add_prefixed_rules("/manage/abstracts", "/abstracts"):
                bp.add_url_rule("/<int:abstract_id>/", "display", show)
            bp.add_url_rule("/after", "after", show)
        """,
    }
    assert {p for p, *_ in routes(files)} == {
        "/event/{event_id}/abstracts/",
        "/event/{event_id}/abstracts/{abstract_id}/",
        "/event/{event_id}/manage/abstracts/{abstract_id}/",
        "/event/{event_id}/after",
    }


def test_a_with_block_of_another_object_changes_nothing() -> None:
    files = {
        "app/__init__.py": "",
        "app/views.py": """
            from contextlib import contextmanager
            from flask import Blueprint

            bp = Blueprint("x", __name__)

            @contextmanager
            def prefixed(prefix):
                yield

            def show():
                return ""

            with prefixed("/manage"):
                bp.add_url_rule("/a", "a", show)
        """,
    }
    assert {p for p, *_ in routes(files)} == {"/a"}


def test_rows_of_a_dict_and_of_tuples_give_one_rule_each() -> None:
    files = {
        "app/__init__.py": "",
        "app/views.py": """
            from flask import Blueprint

            bp = Blueprint("notes", __name__, url_prefix="/event/<int:event_id>")
            PREFIXES = {"event": "", "contribution": "/contributions/<int:contrib_id>"}

            def note():
                return ""

            for object_type, prefix in PREFIXES.items():
                bp.add_url_rule(f"{prefix}/note/", "view", note)
            for prefix, is_management in (("/manage/abstracts", True), ("/abstracts", False)):
                bp.add_url_rule(prefix + "/<int:abstract_id>/", "display", note)
            for object_type, prefixes in {"event": ["/manage"], "category": ["/manage"]}.items():
                for prefix in prefixes:
                    if object_type == "category":
                        prefix = "!/category/<int:category_id>" + prefix
                    else:
                        prefix = "!/event/<int:event_id>" + prefix
                    bp.add_url_rule(prefix + "/attachments/", "attachments", note)
        """,
    }
    assert {p for p, *_ in routes(files)} == {
        "/event/{event_id}/note/",
        "/event/{event_id}/contributions/{contrib_id}/note/",
        "/event/{event_id}/manage/abstracts/{abstract_id}/",
        "/event/{event_id}/abstracts/{abstract_id}/",
        "/event/{event_id}/!/event/{event_id}/manage/attachments/",  # no override strips the marker here
        "/event/{event_id}/!/category/{category_id}/manage/attachments/",
    }


def test_a_loop_over_something_unknown_registers_the_rule_once_as_before() -> None:
    files = {
        "app/__init__.py": "",
        "app/views.py": """
            from flask import Blueprint
            from app.settings import load_prefixes

            bp = Blueprint("x", __name__)

            def view():
                return ""

            for prefix in load_prefixes():
                bp.add_url_rule(prefix + "/x", "x", view)
        """,
    }
    assert routes(files) == set()
    assert unresolved(files) == {("app/views.py", 11)}


def test_a_blueprint_made_by_a_factory_function_is_mounted_where_its_product_is_registered() -> None:
    files = {
        "app/__init__.py": """
            from flask import Flask
            from app import account, main, tools

            def create_app():
                app = Flask(__name__)
                app.register_blueprint(main.make_blueprint())
                app.register_blueprint(account.make_blueprint(), url_prefix="/account")
                api_bp = account.make_blueprint()
                app.register_blueprint(api_bp, url_prefix="/api/v1")
                app.register_blueprint(tools.make_name())  # returns no blueprint
                return app
        """,
        "app/account.py": """
            from flask import Blueprint

            def make_blueprint() -> Blueprint:
                view = Blueprint("account", __name__)

                @view.route("/edit", methods=("GET", "POST"))
                def edit():
                    return ""

                return view
        """,
        "app/main.py": """
            from flask import Blueprint

            bp = Blueprint("main", __name__, url_prefix="/main")

            @bp.route("/login")
            def login():
                return ""

            def make_blueprint():
                return _checked(bp)

            def _checked(blueprint):
                return blueprint
        """,
        "app/tools.py": """
            def make_name():
                return "tools"
        """,
    }

    assert routes(files) == {
        ("/account/edit", ("GET", "POST"), "app.account:make_blueprint.edit", None),
        ("/api/v1/edit", ("GET", "POST"), "app.account:make_blueprint.edit", None),
        ("/main/login", ("GET",), "app.main:login", None),
    }
    assert unresolved(files) == {("app/__init__.py", 11)}


def test_blueprint_factories_of_several_modules_registered_in_a_loop() -> None:
    files = {
        "app/__init__.py": """
            from flask import Flask
            from app import info, main, tools

            def create_app(config):
                app = Flask(__name__)
                for module in [main, info]:
                    app.register_blueprint(module.make_blueprint(config), url_prefix="/v")
                for extra in [main, tools]:
                    app.register_blueprint(extra.make_blueprint(config))  # tools' factory makes no blueprint
                return app
        """,
        "app/main.py": """
            from flask import Blueprint

            def make_blueprint(config):
                view = Blueprint("main", __name__)

                @view.route("/")
                def index():
                    return ""

                return view
        """,
        "app/info.py": """
            from flask import Blueprint

            def make_blueprint(config):
                view = Blueprint("info", __name__)

                @view.route("/about")
                def about():
                    return ""

                return view
        """,
        "app/tools.py": """
            def make_blueprint(config):
                return config.name
        """,
    }

    assert routes(files) == {
        ("/v/", ("GET",), "app.main:make_blueprint.index", None),
        ("/", ("GET",), "app.main:make_blueprint.index", None),
        ("/v/about", ("GET",), "app.info:make_blueprint.about", None),
    }
    assert unresolved(files) == set()


# -- loops over chained tables, guarded per row -------------------------------------------------

CHAINED_PREFIXES = {
    "app/__init__.py": "",
    "app/prefixes.py": """
        management_prefixes = {
            'event': ['/manage'],
            'session': ['/manage/sessions/<int:session_id>'],
        }
        display_prefixes = {'event': [''], 'session': ['/sessions/<int:session_id>']}
    """,
    "app/views.py": """
        import itertools
        from flask import Blueprint
        from app.prefixes import display_prefixes, management_prefixes

        bp = Blueprint("att", __name__)

        def manage():
            return ""

        def listing():
            return ""

        def download():
            return ""

        items = itertools.chain(management_prefixes.items(), [('category', ['/manage'])])
        for object_type, prefixes in items:
            for prefix in prefixes:
                if object_type == 'category':
                    prefix = '/category/<int:category_id>' + prefix
                else:
                    prefix = '/event/<int:event_id>' + prefix
                bp.add_url_rule(prefix + '/attachments/', 'management', manage)
                if object_type != 'category':
                    bp.add_url_rule(prefix + '/attachments/<int:folder_id>/', 'list_folder', listing)

        items = itertools.chain(display_prefixes.items(), [('category', [''])])
        for object_type, prefixes in items:
            for prefix in prefixes:
                if object_type == 'category':
                    prefix = '/category/<int:category_id>' + prefix
                else:
                    prefix = '/event/<int:event_id>' + prefix
                bp.add_url_rule(prefix + '/files/<name>', 'download', download)
    """,
}


def test_a_loop_over_chained_tables_registers_each_row_and_skips_rows_its_if_excludes() -> None:
    assert {(p, h) for p, _, h, _ in routes(CHAINED_PREFIXES)} == {
        ("/event/{event_id}/manage/attachments/", "app.views:manage"),
        ("/event/{event_id}/manage/sessions/{session_id}/attachments/", "app.views:manage"),
        ("/category/{category_id}/manage/attachments/", "app.views:manage"),
        ("/event/{event_id}/manage/attachments/{folder_id}/", "app.views:listing"),
        ("/event/{event_id}/manage/sessions/{session_id}/attachments/{folder_id}/", "app.views:listing"),
        ("/event/{event_id}/files/{name}", "app.views:download"),
        ("/event/{event_id}/sessions/{session_id}/files/{name}", "app.views:download"),
        ("/category/{category_id}/files/{name}", "app.views:download"),
    }


def test_a_loop_over_a_chain_with_a_part_that_cannot_be_known_is_not_enumerated() -> None:
    files = dict(CHAINED_PREFIXES)
    files["app/views.py"] = """
        import itertools
        from flask import Blueprint
        from app.prefixes import load_prefixes

        bp = Blueprint("att", __name__)

        def manage():
            return ""

        for object_type, prefix in itertools.chain(load_prefixes(), [('category', '/manage')]):
            bp.add_url_rule(prefix + '/attachments/', 'management', manage)
    """
    assert not {p for p, *_ in routes(files) if p.startswith("/category")}
    assert ("app/views.py", 12) in unresolved(files)


def test_a_prefix_chosen_by_an_if_on_the_loop_variable_takes_each_rows_branch() -> None:
    files = {
        "app/__init__.py": "",
        "app/views.py": """
            from flask import Blueprint

            bp = Blueprint("designer", __name__)

            def listing():
                return ""

            for object_type in ('event', 'category'):
                if object_type == 'category':
                    prefix = '/category/<int:category_id>'
                else:
                    prefix = '/event/<int:event_id>'
                prefix += '/manage/designer'
                bp.add_url_rule(prefix + '/', 'template_list', listing)
        """,
    }
    assert {p for p, *_ in routes(files)} == {
        "/category/{category_id}/manage/designer/",
        "/event/{event_id}/manage/designer/",
    }


def test_a_prefix_chosen_by_an_if_on_a_setting_keeps_the_settings_branch_in_every_row() -> None:
    files = {
        "app/__init__.py": "",
        "app/views.py": """
            from flask import Blueprint

            LEGACY = False
            bp = Blueprint("designer", __name__)

            def listing():
                return ""

            for kind in ('badges', 'posters'):
                if LEGACY:
                    prefix = '/old'
                else:
                    prefix = '/manage'
                bp.add_url_rule(prefix + '/' + kind, kind, listing)
        """,
    }
    assert {p for p, *_ in routes(files)} == {"/manage/badges", "/manage/posters"}


OPTIONAL_DECORATOR = """
    def cors(rh=None, /, **options):
        def decorator(rh):
            rh._CORS = options
            return rh

        if rh is None:
            return decorator
        return decorator(rh)
"""


def test_a_class_decorated_by_a_decorator_that_gives_it_back_stays_that_class() -> None:
    files = {
        "app/__init__.py": "",
        "app/rh.py": OPTIONAL_DECORATOR,
        "app/views.py": """
            from flask import Blueprint
            from app.rh import cors

            bp = Blueprint("oauth", __name__)

            @cors
            class RHMetadata:
                def process(self):
                    return ""

            @cors(max_age=60)
            class RHToken:
                def process(self):
                    return ""

            bp.add_url_rule("/metadata", "metadata", RHMetadata)
            bp.add_url_rule("/token", "token", RHToken, methods=("POST",))
        """,
    }
    assert {(p, h) for p, _, h, _ in routes(files)} == {
        ("/metadata", "app.views:RHMetadata.process"),
        ("/token", "app.views:RHToken.process"),
    }


def test_a_decorator_that_returns_a_wrapper_is_not_taken_for_one_that_gives_its_argument_back() -> None:
    files = {
        "app/__init__.py": "",
        "app/rh.py": OPTIONAL_DECORATOR.replace("return rh\n", "return lambda *a: rh(*a)\n"),
        "app/views.py": """
            from flask import Blueprint
            from app.rh import cors

            bp = Blueprint("oauth", __name__)

            @cors
            class RHMetadata:
                def process(self):
                    return ""

            bp.add_url_rule("/metadata", "metadata", RHMetadata)
        """,
    }
    assert {h for _, _, h, _ in routes(files)} != {"app.views:RHMetadata.process"}


def test_a_blueprint_bound_to_two_names_at_once_is_one_blueprint() -> None:
    files = {
        "app/__init__.py": """
            from flask import Flask
            from app.hub import hub_blueprint

            app = Flask(__name__)
            app.register_blueprint(hub_blueprint, url_prefix="/hub")
        """,
        "app/hub.py": """
            from flask import Blueprint

            hub_blueprint = _bp = Blueprint("hub", __name__)

            def index():
                return ""

            _bp.add_url_rule("/", "index", index)
        """,
    }
    assert {(p, h) for p, _, h, _ in routes(files)} == {("/hub/", "app.hub:index")}
    assert not unresolved(files)
