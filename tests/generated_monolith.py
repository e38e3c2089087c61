"""A generated Django + Celery monolith, large enough to reach the analysis' caps and budgets.

`write_monolith(root, apps=..., modules_per_app=...)` writes the same tree every
time (no randomness, no clock): Django apps with models in deep abstract and
concrete hierarchies and foreign keys across apps, views, URLconfs, Celery
tasks, custom signals and receivers, and per app a package of service modules
whose functions call each other in a wide tree (so an entry point reaches
thousands of symbols), register handlers into module-level containers that
loops then call (so one variable holds more values than link keeps), and pass
instances of many subclasses through one parameter.

Used by tests/functional/test_determinism_generated.py; never shipped.
"""

from __future__ import annotations

from pathlib import Path

HANDLERS_PER_MODULE = 2
SUBCLASSES_PER_APP = 6


def write_monolith(root: Path, *, apps: int = 10, modules_per_app: int = 100) -> int:
    """Write the tree under `root`; return the number of Python files written."""
    files: dict[str, str] = {}
    names = [f"app{index:02d}" for index in range(apps)]
    files["manage.py"] = _MANAGE
    files["proj/__init__.py"] = "from proj.celery import app as celery_app\n"
    files["proj/celery.py"] = _CELERY
    files["proj/settings.py"] = _settings(names)
    files["proj/urls.py"] = _root_urls(names)
    files["core/__init__.py"] = ""
    files["core/registry.py"] = _REGISTRY
    files["core/bases.py"] = _bases()
    for index in range(apps):
        files.update(_app(index, names, modules_per_app))
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(files)


_MANAGE = """\
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""

_CELERY = """\
from celery import Celery

app = Celery("proj")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
"""

_REGISTRY = """\
HANDLERS = []
BY_NAME = {}


def register(function):
    HANDLERS.append(function)
    BY_NAME[function.__name__] = function
    return function


def dispatch(payload):
    results = []
    for handler in HANDLERS:
        results.append(handler(payload))
    for name, handler in BY_NAME.items():
        results.append(handler(name))
    return results
"""


def _bases() -> str:
    """A deep chain of abstract model bases every app's models inherit from."""
    lines = ["from django.db import models", ""]
    parent = "models.Model"
    for depth in range(8):
        lines += [
            f"class Base{depth}({parent}):",
            f"    field{depth} = models.IntegerField(default={depth})",
            "",
            "    class Meta:",
            "        abstract = True",
            "",
            f"    def touch{depth}(self):",
            "        self.save()",
            "",
        ]
        parent = f"Base{depth}"
    return "\n".join(lines)


def _settings(names: list[str]) -> str:
    installed = "".join(f'    "{name}",\n' for name in names)
    return (
        "SECRET_KEY = 'generated'\n"
        "ROOT_URLCONF = 'proj.urls'\n"
        "INSTALLED_APPS = [\n"
        '    "django.contrib.auth",\n'
        '    "django.contrib.contenttypes",\n'
        f"{installed}]\n"
        "CELERY_BEAT_SCHEDULE = {\n"
        + "".join(
            f'    "sweep-{name}": {{"task": "{name}.tasks.sweep", "schedule": {60 * (i + 1)}}},\n'
            for i, name in enumerate(names)
        )
        + "}\n"
    )


def _root_urls(names: list[str]) -> str:
    patterns = "".join(f'    path("{name}/", include("{name}.urls")),\n' for name in names)
    return f"from django.urls import include, path\n\nurlpatterns = [\n{patterns}]\n"


def _app(index: int, names: list[str], modules: int) -> dict[str, str]:
    """One Django app: models, views, urls, tasks, signals and a package of service modules."""
    name, other = names[index], names[(index + 1) % len(names)]
    files = {
        f"{name}/__init__.py": "",
        f"{name}/apps.py": (
            "from django.apps import AppConfig\n\n\n"
            f"class {name.title()}Config(AppConfig):\n    name = '{name}'\n\n"
            f"    def ready(self):\n        from {name} import receivers  # noqa: F401\n"
        ),
        f"{name}/models.py": _models(name, other),
        f"{name}/views.py": _views(name),
        f"{name}/urls.py": _urls(name),
        f"{name}/tasks.py": _tasks(name),
        f"{name}/signals.py": "from django.dispatch import Signal\n\nprocessed = Signal()\narchived = Signal()\n",
        f"{name}/receivers.py": _receivers(name, other),
        f"{name}/services/__init__.py": "",
    }
    for number in range(modules):
        files[f"{name}/services/s{number:04d}.py"] = _service(names, index * modules + number, modules)
    return files


def _models(name: str, other: str) -> str:
    lines = [
        "from django.db import models",
        "",
        "from core.bases import Base7",
        f"from {other}.models import Item as OtherItem",
        "",
        "",
        "class Item(Base7):",
        "    title = models.CharField(max_length=50)",
        "",
        "",
        "class Order(Base7):",
        "    item = models.ForeignKey(Item, on_delete=models.CASCADE)",
        "    other = models.ForeignKey(OtherItem, on_delete=models.CASCADE, related_name='+')",
        "",
        "",
        "class Audit(models.Model):",
        "    order = models.ForeignKey(Order, on_delete=models.CASCADE)",
        "",
    ]
    parent = "Item"
    for number in range(SUBCLASSES_PER_APP):  # proxy chain: a deep concrete hierarchy
        lines += [
            "",
            f"class Item{number}({parent}):",
            "    class Meta:",
            "        proxy = True",
            "",
            "    def describe(self):",
            f"        return '{name}-{number}'",
            "",
        ]
        parent = f"Item{number}"
    return "\n".join(lines)


def _views(name: str) -> str:
    return f"""\
from django.http import JsonResponse
from django.views.generic import ListView

from {name}.models import Audit, Item, Order
from {name}.services import s0000
from {name}.tasks import process


def index(request):
    for model in (Item, Order, Audit):
        model.objects.filter(pk=1).exists()
    return JsonResponse({{"n": s0000.run(request)}})


def submit(request):
    order = Order.objects.create(item=Item.objects.first())
    process.delay(order.pk)
    return JsonResponse({{"id": order.pk}})


class ItemList(ListView):
    model = Item
"""


def _urls(name: str) -> str:
    return f"""\
from django.urls import path

from {name} import views

urlpatterns = [
    path("", views.index, name="index"),
    path("submit/", views.submit, name="submit"),
    path("items/<int:pk>/", views.ItemList.as_view(), name="items"),
]
"""


def _tasks(name: str) -> str:
    return f"""\
from celery import shared_task

from core.registry import dispatch
from {name}.models import Order
from {name}.services import s0000
from {name}.signals import processed


@shared_task(bind=True, max_retries=3)
def process(self, pk):
    order = Order.objects.get(pk=pk)
    s0000.run(order)
    processed.send(sender=Order, order=order)
    return dispatch(pk)


@shared_task
def sweep():
    for order in Order.objects.all():
        process.delay(order.pk)
"""


def _receivers(name: str, other: str) -> str:
    return f"""\
from django.db.models.signals import post_save
from django.dispatch import receiver

from {name}.models import Audit, Order
from {name}.signals import archived, processed
from {other}.signals import processed as other_processed


@receiver(post_save, sender=Order)
def audit(sender, instance, **kwargs):
    Audit.objects.create(order=instance)


@receiver(processed)
def on_processed(sender, order, **kwargs):
    archived.send(sender=sender, order=order)


@receiver(other_processed)
def on_other(sender, **kwargs):
    return kwargs
"""


def _service(names: list[str], number: int, modules: int) -> str:
    """A service module: calls into two children (a binary tree over every app's services), handlers, steps."""
    total = len(names) * modules
    children = [(names[c // modules], c % modules) for c in (2 * number + 1, 2 * number + 2) if c < total]
    imports = "".join(f"from {app}.services import s{child:04d} as c{child:04d}\n" for app, child in children)
    calls = "".join(f"    c{child:04d}.run(payload)\n" for _, child in children)
    handlers = "".join(
        f"@register\ndef handle_{number}_{slot}(payload):\n    return Step{slot}().apply(payload)\n\n\n"
        for slot in range(HANDLERS_PER_MODULE)
    )
    steps = "".join(
        f"class Step{slot}(Step{slot - 1}):\n    def apply(self, payload):\n"
        f"        return super().apply(payload) + {slot}\n\n\n"
        for slot in range(1, HANDLERS_PER_MODULE)
    )
    return f"""\
from core.registry import register
{imports}

class Step0:
    def apply(self, payload):
        return len(str(payload))


{steps}def apply_all(payload):
    total = 0
    for step in [Step{HANDLERS_PER_MODULE - 1}(), Step0()]:
        total += step.apply(payload)
    return total


{handlers}def run(payload):
    apply_all(payload)
{calls}    return payload
"""
