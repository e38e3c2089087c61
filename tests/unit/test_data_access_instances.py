"""Data access of the helpers a generic view makes from the routed class's attributes: `self.form(...)`,
`self.filterset(...)`, `self.table(...)` in a base view of the project are the classes the concrete view names
(`form = DeviceForm`); their `__init__` (a mixin's too, through cooperative `super()`) and the methods called on
the instance run for the route.
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

        class CustomField(models.Model):
            name = models.CharField(max_length=50)

        class CustomLink(models.Model):
            name = models.CharField(max_length=50)

        class SavedView(models.Model):
            name = models.CharField(max_length=50)

        class Site(models.Model):
            name = models.CharField(max_length=50)

        class Device(models.Model):
            name = models.CharField(max_length=50)
            site = models.ForeignKey(Site, on_delete=models.CASCADE)
    """,
    "inventory/generic.py": """
        from django.shortcuts import get_object_or_404, render
        from django.views import View

        class ObjectEditView(View):
            queryset = None
            form = None

            def get(self, request, pk):
                obj = get_object_or_404(self.queryset, pk=pk)
                form = self.form(instance=obj)
                return render(request, "edit.html", {"form": form})

            def post(self, request, pk):
                obj = get_object_or_404(self.queryset, pk=pk)
                form = self.form(data=request.POST, instance=obj)
                if form.is_valid():
                    form.save()
                return render(request, "done.html", {})

        class ObjectListView(View):
            queryset = None
            filterset = None
            table = None

            def get(self, request):
                rows = self.filterset(request.GET, self.queryset).qs
                table = self.table(rows)
                table.configure(request)
                return render(request, "list.html", {"table": table})
    """,
    "inventory/forms.py": """
        from django import forms
        from inventory.models import CustomField, Device, Site

        class ChangelogMixin(forms.Form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.meta_fields = ["message"]

        class CustomFieldsMixin:
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.custom_fields = list(CustomField.objects.filter(name__startswith="cf_"))

        class BaseModelForm(ChangelogMixin, CustomFieldsMixin, forms.ModelForm):
            pass

        class DeviceForm(BaseModelForm):
            class Meta:
                model = Device
                fields = ["name", "site"]

            def clean_name(self):
                if Site.objects.filter(name=self.cleaned_data["name"]).exists():
                    raise forms.ValidationError("taken")
                return self.cleaned_data["name"]

        class SiteForm(forms.ModelForm):
            class Meta:
                model = Site
                fields = ["name"]
    """,
    "inventory/lists.py": """
        from inventory.models import CustomLink, SavedView

        class BaseFilterSet:
            def __init__(self, data=None, queryset=None):
                self.views = list(SavedView.objects.all())
                self.queryset = queryset

        class DeviceFilterSet(BaseFilterSet):
            pass

        class DeviceTable:
            def __init__(self, rows):
                self.rows = rows

            def configure(self, request):
                self.links = list(CustomLink.objects.all())
    """,
    "inventory/views.py": """
        from inventory.forms import DeviceForm, SiteForm
        from inventory.generic import ObjectEditView, ObjectListView
        from inventory.lists import DeviceFilterSet, DeviceTable
        from inventory.models import Device, Site

        class DeviceEditView(ObjectEditView):
            queryset = Device.objects.all()
            form = DeviceForm

        class SiteEditView(ObjectEditView):
            queryset = Site.objects.all()
            form = SiteForm

        class DeviceListView(ObjectListView):
            queryset = Device.objects.all()
            filterset = DeviceFilterSet
            table = DeviceTable
    """,
    "inventory/urls.py": """
        from django.urls import path
        from inventory import views

        urlpatterns = [
            path("devices/<int:pk>/edit/", views.DeviceEditView.as_view()),
            path("sites/<int:pk>/edit/", views.SiteEditView.as_view()),
            path("devices/", views.DeviceListView.as_view()),
        ]
    """,
}

SITE, DEVICE = "inventory.models:Site", "inventory.models:Device"
CUSTOM_FIELD, CUSTOM_LINK = "inventory.models:CustomField", "inventory.models:CustomLink"
SAVED = "inventory.models:SavedView"


def routes_of(files: dict[str, str]) -> dict[tuple[str, str], tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {(route.path, method): (route.reads, route.writes) for route in found.routes for method in route.methods}


def test_the_routed_views_form_runs_its_mixins_init_through_cooperative_super() -> None:
    reads, _ = routes_of(INVENTORY)[("/devices/{pk}/edit/", "GET")]
    # Why: `self.form(...)` is DeviceForm; ChangelogMixin's `super().__init__()` runs, for a DeviceForm, the next
    # class of its MRO: CustomFieldsMixin, whose __init__ reads the custom fields.
    assert CUSTOM_FIELD in reads and DEVICE in reads


def test_a_form_without_those_mixins_reads_nothing_more() -> None:
    reads, _ = routes_of(INVENTORY)[("/sites/{pk}/edit/", "GET")]
    # Why: SiteForm is a plain model form: DeviceForm's mixins do not run for the route of SiteEditView.
    assert reads == [SITE]


def test_the_forms_clean_hooks_run_where_the_view_validates_it() -> None:
    routes = routes_of(INVENTORY)
    # Why: `form.is_valid()` runs DeviceForm.clean_name (it reads Site); the GET handler never validates.
    assert SITE in routes[("/devices/{pk}/edit/", "POST")][0]
    assert SITE not in routes[("/devices/{pk}/edit/", "GET")][0]


def test_the_routed_views_filter_set_and_table_run_for_the_list() -> None:
    reads, writes = routes_of(INVENTORY)[("/devices/", "GET")]
    # Why: `self.filterset(...)` runs the inherited BaseFilterSet.__init__ (SavedView); `table.configure(request)`
    # on the instance of `self.table(...)` runs DeviceTable.configure (CustomLink).
    assert reads == [CUSTOM_LINK, DEVICE, SAVED]
    assert writes == []


def test_a_helper_named_by_no_routed_class_runs_nowhere() -> None:
    views = INVENTORY["inventory/views.py"].replace("table = DeviceTable", "table = None")
    files = {**INVENTORY, "inventory/views.py": views}
    # Why: with `table = None` on the routed class, the instance's `configure` is no method of ours.
    reads, _ = routes_of(files)[("/devices/", "GET")]
    assert CUSTOM_LINK not in reads and SAVED in reads
