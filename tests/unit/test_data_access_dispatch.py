"""Data access of graphene mutations built on a project base class, and of a project's own permission models.

The base class's `mutate` (what graphene calls) checks the caller's permissions, then runs
`cls.perform_mutation(...)`; each mutation class says what it does in its own methods. The user
model keeps its groups and permissions in the project's own tables.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

SHOP = {
    "config/__init__.py": "",
    "config/settings.py": """
        INSTALLED_APPS = ["accounts", "shop"]
        AUTH_USER_MODEL = "accounts.User"
    """,
    "accounts/__init__.py": "",
    "accounts/models.py": """
        from django.contrib.auth.base_user import AbstractBaseUser
        from django.db import models

        class Permission(models.Model):
            codename = models.CharField(max_length=100)

        class Group(models.Model):
            name = models.CharField(max_length=100)
            permissions = models.ManyToManyField(Permission, blank=True)

        class User(AbstractBaseUser):
            email = models.EmailField(unique=True)
            groups = models.ManyToManyField(Group, blank=True, related_name="users")
            user_permissions = models.ManyToManyField(Permission, blank=True, related_name="users")
    """,
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.db import models

        class Order(models.Model):
            total = models.IntegerField(default=0)

        class Refund(models.Model):
            amount = models.IntegerField(default=0)

        class Note(models.Model):
            text = models.TextField()

        class Settings(models.Model):
            name = models.CharField(max_length=20)
    """,
    "shop/views.py": """
        from django.http import JsonResponse
        from django.views import View
        from shop.models import Settings

        class ApiView(View):
            schema = None

            def dispatch(self, request, *args, **kwargs):
                request.settings = self.load_settings()
                return super().dispatch(request, *args, **kwargs)

            def load_settings(self):
                return Settings.objects.first()

        def health(request):
            return JsonResponse({})
    """,
    "shop/urls.py": """
        from django.urls import path
        from shop.mutations import schema
        from shop.views import ApiView, health

        urlpatterns = [
            path("graphql/", ApiView.as_view(schema=schema)),
            path("health/", health),
        ]
    """,
    "shop/mutations.py": """
        import graphene
        from shop.models import Note, Order, Refund

        class BaseMutation(graphene.Mutation):
            class Meta:
                abstract = True

            @classmethod
            def check_permissions(cls, context):
                return context.user.has_perms(["shop.manage"])

            @classmethod
            def perform_mutation(cls, root, info, **data):
                raise NotImplementedError()

            @classmethod
            def mutate(cls, root, info, **data):
                if not cls.check_permissions(info.context):
                    raise PermissionError()
                return cls.perform_mutation(root, info, **data)

        class NoteMutation(BaseMutation):
            class Meta:
                abstract = True

            @classmethod
            def perform_mutation(cls, root, info, **data):
                Note.objects.create(text="done")
                return cls.save(info)

            @classmethod
            def save(cls, info):
                return None

        class RefundCreate(NoteMutation):
            ok = graphene.Boolean()

            @classmethod
            def save(cls, info):
                Refund.objects.create(amount=1)

        class OrderCancel(BaseMutation):
            ok = graphene.Boolean()

            @classmethod
            def check_permissions(cls, context):
                return True

            @classmethod
            def perform_mutation(cls, root, info, **data):
                Order.objects.filter(pk=data["id"]).update(total=0)

        class Mutation(graphene.ObjectType):
            refund_create = RefundCreate.Field()
            order_cancel = OrderCancel.Field()

        schema = graphene.Schema(mutation=Mutation)
    """,
}

ORDER, REFUND, NOTE = "shop.models:Order", "shop.models:Refund", "shop.models:Note"
SETTINGS = "shop.models:Settings"
OWN_PERMISSION_TABLES = [
    "table:accounts_group",
    "table:accounts_group_permissions",
    "table:accounts_permission",
    "table:accounts_user_groups",
    "table:accounts_user_user_permissions",
    "table:django_content_type",
]


def mutations_of(files: dict[str, str]) -> dict[str | None, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.action or route.path: (route.reads, route.writes) for route in found.routes}


def test_a_mutation_runs_its_base_classes_mutate_and_its_own_overrides() -> None:
    mutations = mutations_of(SHOP)
    # Why: graphene calls the inherited mutate, which checks permissions (the project's own tables) and
    # runs `cls.perform_mutation`: NoteMutation's, whose `cls.save` is RefundCreate's (not NoteMutation's).
    assert mutations["mutation.refund_create"] == ([SETTINGS, *OWN_PERMISSION_TABLES], [NOTE, REFUND])


def test_an_override_of_the_permission_check_replaces_the_base_ones() -> None:
    # Why: OrderCancel's own check_permissions reads nothing; BaseMutation's is not what `cls.` finds.
    assert mutations_of(SHOP)["mutation.order_cancel"] == ([SETTINGS], [ORDER])


def test_every_operation_runs_the_endpoints_own_view() -> None:
    mutations = mutations_of(SHOP)
    # Why: the project's view mounted with the schema loads the settings for every operation it serves.
    assert SETTINGS in mutations["mutation.order_cancel"][0]
    # Why: a route the view does not serve does not run it.
    assert mutations["/health/"] == ([], [])


def test_djangos_own_user_keeps_the_rules_table_names() -> None:
    files = {
        **SHOP,
        "config/settings.py": 'INSTALLED_APPS = ["accounts", "shop"]\n',
    }
    reads, _ = mutations_of(files)["mutation.refund_create"]
    # Why: without AUTH_USER_MODEL the user is django.contrib.auth's: its tables are auth_*.
    assert [r for r in reads if "group" in r or "permission" in r] == [
        "table:auth_group",
        "table:auth_group_permissions",
        "table:auth_permission",
        "table:auth_user_groups",
        "table:auth_user_user_permissions",
    ]
