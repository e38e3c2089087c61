"""Flask-AppBuilder routes: registered view classes, `@expose`d methods and the routes base classes give.

Each test parses small multi-file snippets, links them and runs the
Flask-AppBuilder recognizer alone, then asserts the exact (path, methods,
handler) rows of `found.routes`. Expected values are hand-written from
Flask-AppBuilder's own behaviour (`BaseView.create_blueprint`, `_register_urls`).
"""

from __future__ import annotations

from collections.abc import Mapping

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.model.inventory import Recognition
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import flask, flask_appbuilder

HEURISTICS = load_heuristics()

Row = tuple[str, tuple[str, ...], str]


def found(files: Mapping[str, str]) -> Recognition:
    return flask_appbuilder.recognize(link(facts_of(files)), HEURISTICS)


def routes(files: Mapping[str, str]) -> set[Row]:
    return {(r.path, tuple(r.methods), r.handler) for r in found(files).routes}


APP = """
    from flask import Flask
    from flask_appbuilder import AppBuilder, SQLA

    app = Flask(__name__)
    db = SQLA(app)
    appbuilder = AppBuilder(app, db.session)
"""


def test_expose_on_a_registered_view_and_default_route_base() -> None:
    files = {
        "shop/__init__.py": APP,
        "shop/views.py": """
            from flask_appbuilder import BaseView, expose
            from flask_appbuilder.security.decorators import has_access
            from shop import appbuilder

            class ReportView(BaseView):
                default_view = "summary"

                # no methods=: Flask-AppBuilder's default, GET
                @expose("/summary/")
                @has_access
                def summary(self):
                    return ""

                # two rules on one method: two routes
                @expose("/export/<fmt>", methods=["GET", "post"])
                @expose("/export/")
                def export(self, fmt="csv"):
                    return ""

                # a plain helper method: no route
                def _rows(self):
                    return []

            appbuilder.add_view(ReportView, "Reports", category="Shop")
        """,
    }
    assert routes(files) == {
        ("/reportview/summary/", ("GET",), "shop.views:ReportView.summary"),
        ("/reportview/export/{fmt}", ("GET", "POST"), "shop.views:ReportView.export"),
        ("/reportview/export/", ("GET",), "shop.views:ReportView.export"),
    }


def test_route_base_override_through_a_project_base_and_add_view_no_menu() -> None:
    files = {
        "shop/__init__.py": APP,
        "shop/base.py": """
            from flask_appbuilder.baseviews import BaseView, expose

            class ShopBaseView(BaseView):
                @expose("/ping")
                def ping(self):
                    return ""
        """,
        "shop/views.py": """
            from flask_appbuilder import expose
            from shop.base import ShopBaseView

            class Cart(ShopBaseView):
                route_base = "/cart"

                @expose("/", methods=("GET",))
                def index(self):
                    return ""

            class Checkout(ShopBaseView):
                route_base = ""

                @expose("/checkout")
                def checkout(self):
                    return ""
        """,
        "shop/setup.py": """
            from shop import appbuilder
            from shop.views import Cart, Checkout

            def init_views(app):
                # an instance is registered as well as a class
                app.appbuilder.add_view_no_menu(Cart())
                appbuilder.add_view_no_menu(Checkout)
                appbuilder.add_view_no_menu(Checkout)  # registered twice: served once
        """,
    }
    assert routes(files) == {
        ("/cart/", ("GET",), "shop.views:Cart.index"),
        ("/cart/ping", ("GET",), "shop.base:ShopBaseView.ping"),
        ("/checkout", ("GET",), "shop.views:Checkout.checkout"),
        ("/ping", ("GET",), "shop.base:ShopBaseView.ping"),
    }


def test_a_view_class_never_registered_serves_nothing() -> None:
    files = {
        "shop/__init__.py": APP,
        "shop/views.py": """
            from flask_appbuilder import ModelView, expose
            from flask_appbuilder.api import ModelRestApi

            # defined, exposed, never added to the AppBuilder: Flask-AppBuilder serves none of it
            class DraftView(ModelView):
                @expose("/preview")
                def preview(self):
                    return ""

            class DraftApi(ModelRestApi):
                resource_name = "draft"
        """,
    }
    assert routes(files) == set()


def test_a_project_function_named_expose_is_not_flask_appbuilders() -> None:
    files = {
        "shop/__init__.py": APP,
        "shop/registry.py": """
            def expose(path, methods=("GET",)):
                def wrap(function):
                    return function
                return wrap
        """,
        "shop/views.py": """
            from flask_appbuilder import BaseView, expose as fab_expose
            from shop import appbuilder
            from shop.registry import expose

            class Tools(BaseView):
                # the project's own `expose`: not a route
                @expose("/hidden")
                def hidden(self):
                    return ""

                @fab_expose("/shown")
                def shown(self):
                    return ""

            # `add_view` on something that is not an AppBuilder and not given a view class: no route
            class Menu:
                def add_view(self, view, name):
                    return view

            Menu().add_view(len, "x")
            appbuilder.add_view(Tools, "Tools")
        """,
    }
    assert routes(files) == {("/tools/shown", ("GET",), "shop.views:Tools.shown")}


def test_model_rest_api_defaults_narrowed_by_include_route_methods() -> None:
    files = {
        "shop/__init__.py": APP,
        "shop/constants.py": """
            class RouteMethod:
                GET = "get"
                GET_LIST = "get_list"
                INFO = "info"
                POST = "post"
                READ_SET = {GET, GET_LIST, INFO}
        """,
        "shop/api.py": """
            from flask_appbuilder.api import ModelRestApi, expose, protect
            from shop.constants import RouteMethod

            class ShopModelRestApi(ModelRestApi):
                version = "v2"

            class OrderRestApi(ShopModelRestApi):
                resource_name = "order"
                include_route_methods = RouteMethod.READ_SET | {RouteMethod.POST, "refund"}

                @expose("/<int:pk>/refund", methods=("POST",))
                @protect()
                def refund(self, pk):
                    return ""

                # exposed but not in include_route_methods: not served
                @expose("/<int:pk>/cancel", methods=("POST",))
                def cancel(self, pk):
                    return ""

            class CustomerRestApi(ModelRestApi):
                exclude_route_methods = {"delete", "put"}

                # overridden without @expose: no longer served
                def info(self, **kwargs):
                    return ""

            class StatusApi(ModelRestApi):
                route_base = "/status"
                include_route_methods = set()
        """,
        "shop/init.py": """
            from shop import appbuilder
            from shop.api import CustomerRestApi, OrderRestApi, StatusApi

            appbuilder.add_api(OrderRestApi)
            appbuilder.add_api(CustomerRestApi)
            appbuilder.add_api(StatusApi)
        """,
    }
    assert routes(files) == {
        ("/api/v2/order/", ("GET",), "shop.api:OrderRestApi.get_list"),
        ("/api/v2/order/", ("POST",), "shop.api:OrderRestApi.post"),
        ("/api/v2/order/{pk}", ("GET",), "shop.api:OrderRestApi.get"),
        ("/api/v2/order/_info", ("GET",), "shop.api:OrderRestApi.info"),
        ("/api/v2/order/{pk}/refund", ("POST",), "shop.api:OrderRestApi.refund"),
        ("/api/v1/customerrestapi/", ("GET",), "shop.api:CustomerRestApi.get_list"),
        ("/api/v1/customerrestapi/", ("POST",), "shop.api:CustomerRestApi.post"),
        ("/api/v1/customerrestapi/{pk}", ("GET",), "shop.api:CustomerRestApi.get"),
    }


def test_model_view_inherited_crud_routes() -> None:
    files = {
        "shop/__init__.py": APP,
        "shop/views.py": """
            from flask_appbuilder import ModelView
            from flask_appbuilder.models.sqla.interface import SQLAInterface
            from shop import appbuilder

            class ProductView(ModelView):
                route_base = "/products"
                include_route_methods = {"list", "show", "edit"}

            appbuilder.add_view(ProductView, "Products", icon="fa-box")
        """,
    }
    assert routes(files) == {
        ("/products/list/", ("GET",), "shop.views:ProductView.list"),
        ("/products/show/{pk}", ("GET",), "shop.views:ProductView.show"),
        ("/products/edit/{pk}", ("GET", "POST"), "shop.views:ProductView.edit"),
    }


def test_flask_recognizer_ignores_flask_appbuilder_rules() -> None:
    files = {
        "shop/__init__.py": APP,
        "shop/views.py": """
            import flask_appbuilder as fab
            from shop import appbuilder

            class Tools(fab.BaseView):
                @fab.expose("/x")
                def x(self):
                    return ""

            appbuilder.add_view(Tools, "Tools")
        """,
    }
    graphs = link(facts_of(files))
    assert flask.recognize(graphs, HEURISTICS).unresolved == []
    assert {(r.path, r.handler) for r in flask_appbuilder.recognize(graphs, HEURISTICS).routes} == {
        ("/tools/x", "shop.views:Tools.x")
    }


def test_flask_admin_add_view_is_not_a_flask_appbuilder_registration() -> None:
    files = {
        "shop/__init__.py": APP,
        "shop/admin.py": """
            from flask_admin import Admin
            from flask_admin.contrib.sqla import ModelView
            from shop import app

            admin = Admin(app)

            # Flask-Admin's add_view with a Flask-Admin view: not a Flask-AppBuilder route
            class UserAdmin(ModelView):
                pass

            admin.add_view(UserAdmin(None, None))
        """,
    }
    assert routes(files) == set()


def test_security_manager_registers_a_login_view_and_a_string_include_list() -> None:
    files = {
        "shop/__init__.py": APP,
        "shop/views.py": """
            from flask_appbuilder import BaseView, ModelView, expose
            from flask_appbuilder.security.views import AuthDBView

            class ShopBaseView(BaseView):
                pass

            # the MRO lists BaseView (no routes) before AuthDBView: login and logout still come from AuthDBView
            class ShopAuthView(ShopBaseView, AuthDBView):
                route_base = "/auth"

                @expose("/")
                def login(self):
                    return ""

            # a string where a set belongs: Flask-AppBuilder's `in` reads it as substrings ("list" only here)
            class NoteView(ModelView):
                include_route_methods = "list"
        """,
        "shop/security.py": """
            from flask_appbuilder.security.sqla.manager import SecurityManager
            from shop.views import NoteView, ShopAuthView

            class ShopSecurityManager(SecurityManager):
                def register_views(self):
                    # `self.appbuilder`: a receiver typed by no rule, given a Flask-AppBuilder view class
                    self.auth_view = self.appbuilder.add_view_no_menu(ShopAuthView)
                    self.appbuilder.add_view(NoteView, "Notes")
        """,
    }
    assert routes(files) == {
        ("/auth/", ("GET",), "shop.views:ShopAuthView.login"),
        ("/auth/logout/", ("GET",), "shop.views:ShopAuthView.logout"),
        ("/noteview/list/", ("GET",), "shop.views:NoteView.list"),
    }


def test_views_handed_to_flask_appbuilder_to_register_itself() -> None:
    files = {
        "shop/views.py": """
            from flask_appbuilder import IndexView, expose
            from flask_appbuilder.security.sqla.apis import RoleApi
            from flask_appbuilder.security.sqla.manager import SecurityManager

            class ShopIndexView(IndexView):
                @expose("/")
                def index(self):
                    return ""

            class ShopRoleApi(RoleApi):
                include_route_methods = {"get_list", "update_role_users"}

            class ShopSecurityManager(SecurityManager):
                # Flask-AppBuilder registers its role API itself: the project's subclass replaces it
                role_api = ShopRoleApi
                # not an attribute Flask-AppBuilder registers: no route
                helper_view = ShopIndexView
        """,
        "shop/__init__.py": """
            from flask import Flask
            from flask_appbuilder import AppBuilder
            from shop.views import ShopIndexView, ShopSecurityManager

            app = Flask(__name__)
            appbuilder = AppBuilder(security_manager_class=ShopSecurityManager, indexview=ShopIndexView)
        """,
    }
    assert routes(files) == {
        ("/", ("GET",), "shop.views:ShopIndexView.index"),
        ("/api/v1/security/roles/", ("GET",), "shop.views:ShopRoleApi.get_list"),
        ("/api/v1/security/roles/{role_id}/users", ("PUT",), "shop.views:ShopRoleApi.update_role_users"),
    }


def test_indexview_assigned_on_the_appbuilder_object() -> None:
    files = {
        "shop/__init__.py": APP,
        "shop/views.py": """
            from flask_appbuilder import IndexView
            from shop import appbuilder

            class HomeView(IndexView):
                route_base = "/home"

            appbuilder.indexview = HomeView
        """,
    }
    assert routes(files) == {("/home/", ("GET",), "shop.views:HomeView.index")}
