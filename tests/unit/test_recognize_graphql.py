"""GraphQL (graphene) recognizer: root-type fields as routes, with positive and negative cases.

Each test parses small multi-file snippets, links them and runs the GraphQL
recognizer on the view mounts the Django and Flask recognizers publish (the
whole `recognize` where the merged inventory matters), then asserts exact (action, handler, path, line) rows.
"""

from __future__ import annotations

from collections.abc import Mapping

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.model.inventory import Recognition
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import django, flask, graphql, recognize

HEURISTICS = load_heuristics()

Row = tuple[str | None, str, str, int]


def found(files: Mapping[str, str]) -> Recognition:
    """The GraphQL recognizer given the view mounts the URL-tree recognizers publish."""
    graphs = link(facts_of(files))
    published = Recognition()
    for url_tree in (django, flask):
        published.extend(url_tree.recognize(graphs, HEURISTICS))
    return graphql.recognize(graphs, HEURISTICS, published)


def routes(files: Mapping[str, str]) -> set[Row]:
    rows = set()
    for route in found(files).routes:
        assert route.methods == ["POST"] and route.framework == "graphene"
        rows.add((route.action, route.handler, route.path, route.location.line))
    return rows


def test_query_fields_with_alias_resolver_method_and_resolver_keyword() -> None:
    files = {
        "api/schema.py": """
            import graphene as g

            def resolve_all_orders(root, info):
                return []

            class OrderType(g.ObjectType):
                number = g.String()   # a plain type's field: not an entry point

            class Query(g.ObjectType):
                hello = g.String()
                orders = g.List(OrderType, resolver=resolve_all_orders)
                order = g.Field(OrderType, id=g.ID())
                version = "1.0"       # not a field

                def resolve_hello(root, info):
                    return "hi"

                @staticmethod
                def resolve_order(root, info, id):
                    return None

            schema = g.Schema(query=Query)
        """
    }
    assert routes(files) == {
        ("query.hello", "api.schema:Query.resolve_hello", "/graphql", 11),
        ("query.orders", "api.schema:resolve_all_orders", "/graphql", 12),
        ("query.order", "api.schema:Query.resolve_order", "/graphql", 13),
    }


def test_query_split_over_mixins_in_other_modules_and_a_field_subclass() -> None:
    files = {
        "shop/core/fields.py": """
            import graphene

            class PermissionsField(graphene.Field):
                pass
        """,
        "shop/accounts/schema.py": """
            import graphene
            from shop.core.fields import PermissionsField

            class AccountQueries(graphene.ObjectType):
                me = PermissionsField(graphene.String)

                def resolve_me(root, info):
                    return None
        """,
        "shop/products/schema.py": """
            from graphene import ObjectType, List, String

            class ProductQueries(ObjectType):
                products = List(String)
        """,
        "shop/api.py": """
            import graphene
            from shop.accounts.schema import AccountQueries
            from shop.products.schema import ProductQueries

            class Query(AccountQueries, ProductQueries, graphene.ObjectType):
                pass
        """,
        "shop/schema.py": """
            import graphene
            from shop.api import Query

            schema = graphene.Schema(Query)
        """,
    }
    assert routes(files) == {
        ("query.me", "shop.accounts.schema:AccountQueries.resolve_me", "/graphql", 6),
        ("query.products", "shop.products.schema:ProductQueries", "/graphql", 5),
    }


def test_mutation_field_handler_is_the_most_specific_work_method() -> None:
    files = {
        "app/core.py": """
            import graphene

            class BaseMutation(graphene.Mutation):
                @classmethod
                def mutate(cls, root, info, **data):
                    return cls.perform_mutation(root, info, **data)

                @classmethod
                def perform_mutation(cls, root, info, **data):
                    raise NotImplementedError

            class ModelMutation(BaseMutation):
                @classmethod
                def perform_mutation(cls, root, info, **data):
                    return None
        """,
        "app/schema.py": """
            import graphene
            from app.core import BaseMutation, ModelMutation

            class CreateOrder(ModelMutation):
                pass

            class CancelOrder(ModelMutation):
                @classmethod
                def perform_mutation(cls, root, info, **data):
                    return None

            class Ping(graphene.Mutation):
                ok = graphene.Boolean()

                def mutate(root, info):
                    return Ping(ok=True)

            class Query(graphene.ObjectType):
                hello = graphene.String()

            class Mutation(graphene.ObjectType):
                create_order = CreateOrder.Field()
                cancel_order = CancelOrder.Field()
                ping = Ping.Field()

            schema = graphene.Schema(query=Query, mutation=Mutation)
        """,
    }
    assert routes(files) == {
        ("query.hello", "app.schema:Query", "/graphql", 20),
        ("mutation.create_order", "app.core:ModelMutation.perform_mutation", "/graphql", 23),
        ("mutation.cancel_order", "app.schema:CancelOrder.perform_mutation", "/graphql", 24),
        ("mutation.ping", "app.schema:Ping.mutate", "/graphql", 25),
    }
    # the mutation class serves the operation (as a viewset serves its actions); a query field has no view class
    assert {(r.action, r.view) for r in found(files).routes} == {
        ("query.hello", None),
        ("mutation.create_order", "app.schema:CreateOrder"),
        ("mutation.cancel_order", "app.schema:CancelOrder"),
        ("mutation.ping", "app.schema:Ping"),
    }


def test_schema_built_by_a_builder_function_in_another_module_and_subscriptions() -> None:
    files = {
        "gql/builder.py": """
            import graphene

            def build_schema(query, mutation=None, subscription=None):
                return graphene.Schema(query=query, mutation=mutation, subscription=subscription)
        """,
        "gql/api.py": """
            import graphene
            from gql.builder import build_schema

            class Query(graphene.ObjectType):
                status = graphene.String()

            class Subscription(graphene.ObjectType):
                order_created = graphene.Field(graphene.String)

                def resolve_order_created(root, info):
                    return None

            schema = build_schema(Query, subscription=Subscription)
        """,
    }
    result = found(files)
    assert {(r.action, r.handler, r.location.line) for r in result.routes} == {
        ("query.status", "gql.api:Query", 6),
    }
    assert {(r.kind, r.event, r.handler, r.location.line) for r in result.realtime} == {
        ("graphql-subscription", "order_created", "gql.api:Subscription.resolve_order_created", 9),
    }


def test_a_class_named_query_that_is_not_a_graphene_type_is_not_a_root() -> None:
    files = {
        "app/schema.py": """
            import graphene

            class Query:
                hello = graphene.String()

            class Other(graphene.ObjectType):
                name = graphene.String()

            schema = graphene.Schema(query=Query, types=[Other])
        """,
        "app/plain.py": """
            import graphene

            class Query(graphene.ObjectType):   # never given to a Schema
                hello = graphene.String()
        """,
    }
    assert routes(files) == set()


def test_django_mount_path_and_as_view_schema_keyword() -> None:
    files = {
        "site/settings.py": """
            ROOT_URLCONF = "site.urls"
        """,
        "site/schema.py": """
            import graphene

            class Query(graphene.ObjectType):
                hello = graphene.String()

            schema = graphene.Schema(query=Query)
        """,
        "site/urls.py": """
            from django.urls import path
            from django.views.decorators.csrf import csrf_exempt
            from graphene_django.views import GraphQLView
            from site.schema import schema

            urlpatterns = [
                path("api/graphql/", csrf_exempt(GraphQLView.as_view(graphiql=True, schema=schema))),
            ]
        """,
    }
    assert routes(files) == {("query.hello", "site.schema:Query", "/api/graphql/", 5)}
    assert {r.raw_path for r in found(files).routes} == {"api/graphql/"}


def test_project_graphql_view_routed_by_django_gives_the_full_path() -> None:
    files = {
        "site/settings.py": """
            ROOT_URLCONF = "site.urls"
        """,
        "site/schema.py": """
            import graphene

            class Query(graphene.ObjectType):
                hello = graphene.String()

            schema = graphene.Schema(query=Query)
        """,
        "site/views.py": """
            from graphene_django.views import GraphQLView

            class AppGraphQLView(GraphQLView):
                def post(self, request, *args, **kwargs):
                    return super().post(request, *args, **kwargs)
        """,
        "site/api_urls.py": """
            from django.urls import path
            from site.views import AppGraphQLView

            urlpatterns = [path("graphql/", AppGraphQLView.as_view())]
        """,
        "site/urls.py": """
            from django.urls import include, path

            urlpatterns = [path("v1/", include("site.api_urls"))]
        """,
    }
    alone = {(r.action, r.path) for r in found(files).routes}
    assert alone == {("query.hello", "/v1/graphql/")}  # the mount the URL tree publishes: include prefix applied
    merged = recognize(link(facts_of(files)), HEURISTICS)
    assert {(r.action, r.handler, r.path, r.location.line) for r in merged.routes if r.framework == "graphene"} == {
        ("query.hello", "site.schema:Query", "/v1/graphql/", 5),
    }


def test_flask_mount_path() -> None:
    files = {
        "app.py": """
            import graphene
            from flask import Flask
            from graphql_server.flask import GraphQLView

            class Query(graphene.ObjectType):
                hello = graphene.String()

            schema = graphene.Schema(query=Query)
            app = Flask(__name__)
            app.add_url_rule("/gql", view_func=GraphQLView.as_view("graphql", schema=schema))
        """
    }
    assert routes(files) == {("query.hello", "app:Query", "/gql", 7)}


def test_no_schema_no_routes() -> None:
    files = {
        "app.py": """
            import graphene

            class Query(graphene.ObjectType):
                hello = graphene.String()
        """
    }
    assert found(files) == Recognition()


def test_a_schema_built_by_test_code_is_not_served() -> None:
    files = {
        "api/__init__.py": "",
        "api/schema.py": """
            import graphene

            class Query(graphene.ObjectType):
                hello = graphene.String()

            schema = graphene.Schema(query=Query)
        """,
        "api/tests/__init__.py": "",
        "api/tests/test_pagination.py": """
            import graphene

            class ListQuery(graphene.ObjectType):
                books = graphene.String()

            schema = graphene.Schema(query=ListQuery)
        """,
    }
    assert {r.action for r in found(files).routes} == {"query.hello"}
