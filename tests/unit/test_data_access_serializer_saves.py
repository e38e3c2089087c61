"""Data access: an inherited DRF write action runs the serializer's own `create`/`update` and validators.

`ModelViewSet.create` validates its input with the view's `serializer_class` and saves it, which calls the
serializer's `create(validated_data)`; `update` and `partial_update` call its `update(instance, ...)`. A
project's serializer writing nested rows there is reached from the route, though no code of ours calls it.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

FLOWS = {
    "config/__init__.py": "",
    "config/settings.py": 'INSTALLED_APPS = ["flows", "rest_framework"]\n',
    "flows/__init__.py": "",
    "flows/models.py": """
        from django.db import models

        class Flow(models.Model):
            name = models.CharField(max_length=20)

        class Step(models.Model):
            flow = models.ForeignKey(Flow, related_name="steps", on_delete=models.CASCADE)
            label = models.CharField(max_length=20)

        class Revision(models.Model):
            flow = models.ForeignKey(Flow, on_delete=models.CASCADE)

        class Reserved(models.Model):
            name = models.CharField(max_length=20)
    """,
    "flows/serializers.py": """
        from rest_framework import serializers
        from flows.models import Flow, Reserved, Revision, Step

        class FlowSerializer(serializers.ModelSerializer):
            class Meta:
                model = Flow
                fields = ["id", "name"]

            def validate_name(self, value):
                if Reserved.objects.filter(name=value).exists():
                    raise serializers.ValidationError("reserved")
                return value

            def create(self, validated_data):
                flow = super().create(validated_data)
                Step.objects.create(flow=flow, label="start")
                return flow

            def update(self, instance, validated_data):
                Revision.objects.create(flow=instance)
                return super().update(instance, validated_data)

        class PlainFlowSerializer(serializers.ModelSerializer):
            class Meta:
                model = Flow
                fields = ["id", "name"]
    """,
    "flows/views.py": """
        from rest_framework import viewsets
        from flows.models import Flow
        from flows.serializers import FlowSerializer, PlainFlowSerializer

        class FlowViewSet(viewsets.ModelViewSet):
            queryset = Flow.objects.all()
            serializer_class = FlowSerializer

        class PlainFlowViewSet(viewsets.ModelViewSet):
            queryset = Flow.objects.all()
            serializer_class = PlainFlowSerializer
    """,
    "flows/urls.py": """
        from django.urls import include, path
        from rest_framework.routers import DefaultRouter
        from flows import views

        router = DefaultRouter()
        router.register("flows", views.FlowViewSet, basename="flow")
        router.register("plain", views.PlainFlowViewSet, basename="plain")

        urlpatterns = [path("", include(router.urls))]
    """,
}
FLOW, STEP = "flows.models:Flow", "flows.models:Step"
REVISION, RESERVED = "flows.models:Revision", "flows.models:Reserved"


def routes_of(files: dict[str, str]) -> dict[tuple[str, str | None], tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {(route.path, route.action): (route.reads, route.writes) for route in found.routes}


def test_create_runs_the_serializers_create_and_validators() -> None:
    reads, writes = routes_of(FLOWS)[("/flows/", "create")]
    # Why: the inherited create validates (`validate_name` reads Reserved) and saves: FlowSerializer.create
    # writes the first Step; an update's Revision is not written by a create.
    assert RESERVED in reads
    assert writes == [FLOW, STEP]


def test_update_runs_the_serializers_update() -> None:
    routes = routes_of(FLOWS)
    # Why: update and partial_update save an existing row: FlowSerializer.update writes a Revision, never a Step.
    for action in ("update", "partial_update"):
        reads, writes = routes[("/flows/{pk}/", action)]
        assert writes == [FLOW, REVISION] and RESERVED in reads


def test_reads_and_deletes_and_a_plain_serializer_run_no_save_hooks() -> None:
    routes = routes_of(FLOWS)
    # Why: list and retrieve neither validate nor save; a serializer overriding nothing writes only the view's
    # model.
    assert routes[("/flows/", "list")] == ([FLOW], [])
    assert routes[("/flows/{pk}/", "retrieve")] == ([FLOW], [])
    assert routes[("/plain/", "create")][1] == [FLOW]
    assert RESERVED not in routes[("/plain/", "create")][0]
