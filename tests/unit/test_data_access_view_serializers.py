"""Data access: a serializer a view's own method gets from `self.get_serializer(...)` runs its hooks when
validated (`is_valid`) and saved (`save`): `create` without a row given, `update` with one."""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import recognize

PREFS = {
    "config/__init__.py": "",
    "config/settings.py": 'INSTALLED_APPS = ["prefs", "rest_framework"]\n',
    "prefs/__init__.py": "",
    "prefs/models.py": """
        from django.db import models

        class Setting(models.Model):
            key = models.CharField(max_length=20)

        class History(models.Model):
            key = models.CharField(max_length=20)

        class Banned(models.Model):
            key = models.CharField(max_length=20)
    """,
    "prefs/serializers.py": """
        from rest_framework import serializers
        from prefs.models import Banned, History, Setting

        class SettingSerializer(serializers.ModelSerializer):
            class Meta:
                model = Setting
                fields = ["id", "key"]

            def validate_key(self, value):
                if Banned.objects.filter(key=value).exists():
                    raise serializers.ValidationError("banned")
                return value

            def create(self, validated_data):
                setting, _ = Setting.objects.update_or_create(key=validated_data["key"])
                return setting

            def update(self, instance, validated_data):
                History.objects.create(key=instance.key)
                return super().update(instance, validated_data)
    """,
    "prefs/views.py": """
        from rest_framework.generics import GenericAPIView
        from rest_framework.response import Response
        from prefs.models import Setting
        from prefs.serializers import SettingSerializer

        class SettingsView(GenericAPIView):
            queryset = Setting.objects.all()
            serializer_class = SettingSerializer

            def post(self, request):
                serializer = self.get_serializer(data=request.data)
                serializer.is_valid(raise_exception=True)
                serializer.save()
                return Response({})

            def put(self, request):
                serializer = self.get_serializer(Setting.objects.first(), data=request.data)
                serializer.is_valid(raise_exception=True)
                serializer.save()
                return Response({})

            def patch(self, request):
                serializer = self.get_serializer(data=request.data)
                serializer.is_valid(raise_exception=True)
                return Response(serializer.validated_data)
    """,
    "prefs/urls.py": """
        from django.urls import path
        from prefs import views

        urlpatterns = [path("settings/", views.SettingsView.as_view())]
    """,
}
SETTING, HISTORY, BANNED = "prefs.models:Setting", "prefs.models:History", "prefs.models:Banned"


def routes_of(files: dict[str, str]) -> dict[tuple[str, str | None], tuple[list[str], list[str]]]:
    found = recognize(link(facts_of(files)), load_heuristics())
    return {(route.path, route.action): (route.reads, route.writes) for route in found.routes}


def test_saving_a_new_row_runs_the_serializers_create_and_validators() -> None:
    reads, writes = routes_of(PREFS)[("/settings/", "post")]
    # Why: `is_valid()` runs `validate_key` (Banned read), `save()` without a row runs `create` (Setting
    # written), not `update` (History).
    assert BANNED in reads and SETTING in writes and HISTORY not in writes


def test_saving_a_given_row_runs_the_serializers_update() -> None:
    writes = routes_of(PREFS)[("/settings/", "put")][1]
    # Why: the serializer is given the row it changes: `save()` runs `update`, which writes History.
    assert HISTORY in writes


def test_validating_only_saves_nothing() -> None:
    reads, writes = routes_of(PREFS)[("/settings/", "patch")]
    # Why: no `save()`: the validators run, neither `create` nor `update`.
    assert BANNED in reads and writes == []
