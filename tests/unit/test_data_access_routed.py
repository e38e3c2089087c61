"""Data access of generic base classes: what a method inherited from a generic view, viewset or mutation does to
"its" model, it does to the model of the class the route serves.

The generic views of a project name no model: `self.queryset`, `self.get_object()`, `self.queryset.model` are
whatever the concrete subclass binds (`queryset = Device.objects.all()`); a graphene base mutation's
`cls._meta.model` is the concrete mutation's `class Meta: model = ...`.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

INVENTORY = {
    "config/__init__.py": "",
    "config/settings.py": 'INSTALLED_APPS = ["inventory"]\n',
    "inventory/__init__.py": "",
    "inventory/models.py": """
        from django.db import models

        class RestrictedQuerySet(models.QuerySet):
            def restrict(self, user, action="view"):
                if user.has_perms([action]):
                    return self
                return self.none()

        class ChangeLogged(models.Model):
            class Meta:
                abstract = True

            def save(self, *args, **kwargs):
                super().save(*args, **kwargs)

        class Site(ChangeLogged):
            name = models.CharField(max_length=50)
            objects = RestrictedQuerySet.as_manager()

            def save(self, *args, **kwargs):
                self.name = self.name.strip()
                super().save(*args, **kwargs)

        class Device(ChangeLogged):
            name = models.CharField(max_length=50)
            site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="devices")
            objects = RestrictedQuerySet.as_manager()

        class Interface(models.Model):
            device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="interfaces")

        class Journal(models.Model):
            text = models.TextField()
    """,
    "inventory/generic.py": """
        from django.shortcuts import get_object_or_404, render
        from django.views import View
        from inventory.models import Device, Journal

        class BaseObjectView(View):
            queryset = None

            def get_object(self, **kwargs):
                return get_object_or_404(self.queryset, **kwargs)

        class ObjectListView(View):
            queryset = None
            table = None

            def get(self, request):
                rows = self.table(self.queryset)
                return render(request, "list.html", {"rows": rows})

        class ObjectDeleteView(BaseObjectView):
            def post(self, request, pk):
                obj = self.get_object(pk=pk)
                obj.delete()
                Journal.objects.create(text="deleted")
                return render(request, "done.html", {})

        class BulkRenameView(View):
            queryset = None

            def post(self, request):
                for obj in self.queryset.filter(pk__in=request.POST.getlist("pk")):
                    obj.name = obj.name.upper()
                    obj.save()
                return render(request, "done.html", {})

        class ObjectEditView(BaseObjectView):
            form = None

            def post(self, request, pk):
                obj = self.get_object(pk=pk)
                form = self.form(data=request.POST, instance=obj)
                if form.is_valid():
                    form.save()
                return render(request, "done.html", {})

        def touch_devices(request):
            for device in Device.objects.all():
                device.save()
            return render(request, "done.html", {})

        class ObjectLabelView(BaseObjectView):
            def get(self, request, pk):
                model = self.queryset.model
                return render(request, "label.html", {"label": model._meta.verbose_name})
    """,
    "inventory/forms.py": """
        from django import forms
        from inventory.models import Site

        class SiteForm(forms.ModelForm):
            class Meta:
                model = Site
                fields = ["name"]

        class CommentForm(forms.Form):
            text = forms.CharField()
    """,
    "inventory/views.py": """
        from inventory.forms import CommentForm, SiteForm
        from inventory.generic import BulkRenameView, ObjectDeleteView, ObjectEditView, ObjectLabelView, ObjectListView
        from inventory.models import Device, Site

        class Table:
            def __init__(self, rows):
                self.rows = rows

        class DeviceListView(ObjectListView):
            queryset = Device.objects.all()
            table = Table

        class SiteListView(ObjectListView):
            queryset = Site.objects.all()
            table = Table

        class DeviceDeleteView(ObjectDeleteView):
            queryset = Device.objects.all()

        class SiteBulkRenameView(BulkRenameView):
            queryset = Site.objects.all()

        class DeviceLabelView(ObjectLabelView):
            queryset = Device.objects.all()

        class SiteEditView(ObjectEditView):
            queryset = Site.objects.all()
            form = SiteForm

        class DeviceCommentView(ObjectEditView):
            queryset = Device.objects.all()
            form = CommentForm
    """,
    "inventory/api.py": """
        from rest_framework.viewsets import ModelViewSet
        from inventory.models import Device

        class BaseViewSet(ModelViewSet):
            def initial(self, request, *args, **kwargs):
                super().initial(request, *args, **kwargs)
                self.queryset = self.queryset.restrict(request.user, "view")

        class DeviceViewSet(BaseViewSet):
            queryset = Device.objects.all()
    """,
    "inventory/urls.py": """
        from django.urls import path
        from rest_framework.routers import DefaultRouter
        from inventory import api, generic, views

        router = DefaultRouter()
        router.register("api/devices", api.DeviceViewSet)

        urlpatterns = [
            path("devices/", views.DeviceListView.as_view()),
            path("sites/", views.SiteListView.as_view()),
            path("devices/<int:pk>/delete/", views.DeviceDeleteView.as_view()),
            path("devices/<int:pk>/label/", views.DeviceLabelView.as_view()),
            path("sites/<int:pk>/edit/", views.SiteEditView.as_view()),
            path("devices/touch/", generic.touch_devices),
            path("devices/<int:pk>/comment/", views.DeviceCommentView.as_view()),
            path("sites/rename/", views.SiteBulkRenameView.as_view()),
            *router.urls,
        ]
    """,
}

SITE, DEVICE = "inventory.models:Site", "inventory.models:Device"
INTERFACE, JOURNAL = "inventory.models:Interface", "inventory.models:Journal"


def routes_of(files: dict[str, str]) -> dict[tuple[str, str], tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {(route.path, method): (route.reads, route.writes) for route in found.routes for method in route.methods}


def test_a_generic_list_view_reads_the_routed_views_queryset() -> None:
    routes = routes_of(INVENTORY)
    # Why: `self.queryset` in ObjectListView.get is the routed class's: Device for one route, Site for the other.
    assert routes[("/devices/", "GET")] == ([DEVICE], [])
    assert routes[("/sites/", "GET")] == ([SITE], [])


def test_a_generic_delete_view_deletes_the_routed_views_object_with_its_cascade() -> None:
    reads, writes = routes_of(INVENTORY)[("/devices/{pk}/delete/", "POST")]
    # Why: `self.get_object()` is a Device; deleting it cascades into its interfaces (not into the Sites).
    assert DEVICE in reads and SITE not in reads
    assert writes == [DEVICE, INTERFACE, JOURNAL]


def test_rows_of_the_routed_queryset_saved_in_a_loop_are_written() -> None:
    assert routes_of(INVENTORY)[("/sites/rename/", "POST")] == ([SITE], [SITE])


def test_a_generic_edit_view_saves_the_routed_views_model_form() -> None:
    routes = routes_of(INVENTORY)
    # Why: `self.form(...)` is the routed class's form: SiteForm is bound to Site, whose save() writes it.
    assert routes[("/sites/{pk}/edit/", "POST")] == ([SITE], [SITE])
    # Why: a form bound to no model saves no row (the object is still read).
    assert routes[("/devices/{pk}/comment/", "POST")] == ([DEVICE], [])


def test_the_routed_models_own_save_runs_for_a_row_of_that_model_only() -> None:
    routes = routes_of(INVENTORY)
    # Why: SiteForm.save() runs Site.save, whose `super().save()` is the mixin's: there `self` is the Site being
    # saved, not a Device (another subclass the mixin's `self` may be elsewhere: touch_devices saves one).
    assert routes[("/sites/{pk}/edit/", "POST")] == ([SITE], [SITE])


def test_the_routed_model_class_is_no_query() -> None:
    # Why: `self.queryset.model._meta.verbose_name` reads metadata, no row.
    assert routes_of(INVENTORY)[("/devices/{pk}/label/", "GET")] == ([], [])


def test_a_base_viewsets_request_hook_runs_the_routed_models_queryset_method() -> None:
    reads, _ = routes_of(INVENTORY)[("/api/devices/", "GET")]
    # Why: BaseViewSet.initial calls `self.queryset.restrict(user)`: Device's queryset class checks the user's
    # permissions (Django's permission tables).
    assert DEVICE in reads and "table:auth_permission" in reads and SITE not in reads


def test_without_a_subclass_binding_a_model_nothing_is_read() -> None:
    files = {**INVENTORY, "inventory/views.py": INVENTORY["inventory/views.py"].replace("Site.objects.all()", "None")}
    # Why: a routed class that binds no model gives the generic method's stand-in no model at all.
    assert routes_of(files)[("/sites/", "GET")] == ([], [])


SHOP = {
    "config/__init__.py": "",
    "config/settings.py": 'INSTALLED_APPS = ["shop"]\n',
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.db import models

        class Product(models.Model):
            name = models.CharField(max_length=50)

        class Variant(models.Model):
            product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")

        class Voucher(models.Model):
            code = models.CharField(max_length=20)
    """,
    "shop/mutations.py": """
        import graphene
        from shop.models import Product, Voucher

        class ModelMutation(graphene.Mutation):
            class Meta:
                abstract = True

            @classmethod
            def get_instance(cls, info, **data):
                object_id = data.get("id")
                if object_id:
                    return cls._meta.model.objects.get(pk=object_id)
                return cls._meta.model()

            @classmethod
            def perform_mutation(cls, root, info, **data):
                instance = cls.get_instance(info, **data)
                instance.save()
                return cls()

            @classmethod
            def mutate(cls, root, info, **data):
                return cls.perform_mutation(root, info, **data)

        class ModelBulkDeleteMutation(graphene.Mutation):
            class Meta:
                abstract = True

            @classmethod
            def mutate(cls, root, info, ids):
                cls._meta.model.objects.filter(pk__in=ids).delete()
                return cls()

        class ProductCreate(ModelMutation):
            class Meta:
                model = Product

        class VoucherCreate(ModelMutation):
            class Meta:
                model = Voucher

        class ProductBulkDelete(ModelBulkDeleteMutation):
            class Meta:
                model = Product

        class Mutation(graphene.ObjectType):
            product_create = ProductCreate.Field()
            voucher_create = VoucherCreate.Field()
            product_bulk_delete = ProductBulkDelete.Field()

        schema = graphene.Schema(mutation=Mutation)
    """,
}
PRODUCT, VOUCHER = "shop.models:Product", "shop.models:Voucher"


def mutations_of(files: dict[str, str]) -> dict[str | None, tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {route.action: (route.reads, route.writes) for route in found.routes}


def test_a_base_mutation_saves_the_model_of_the_mutations_meta() -> None:
    mutations = mutations_of(SHOP)
    # Why: `cls._meta.model` is what the concrete mutation's `class Meta: model = ...` sets.
    assert mutations["mutation.product_create"] == ([PRODUCT], [PRODUCT])
    assert mutations["mutation.voucher_create"] == ([VOUCHER], [VOUCHER])


def test_a_base_bulk_delete_deletes_the_meta_models_rows() -> None:
    reads, writes = mutations_of(SHOP)["mutation.product_bulk_delete"]
    # Why: the queryset's rows are read before they are deleted (their variants only if some exist).
    assert (reads, writes) == ([PRODUCT], [PRODUCT])
