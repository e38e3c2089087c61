"""Every callee of the call graph is a symbol that exists or whose path the code makes evident (issue 11).

The oracle is written from the rule, not from the link stage's code: a callee
is a definition of the tree, a builtin (checked against Python's own
`builtins`), a method of a type declared in `heuristics/types.toml` (read
here with `tomllib`), or an outside name that starts with a name the tree
imports, never repeats a step, and never continues past what a plain
function returns (`requests:get.json`). Checked on both samples and on
generated code whose loops and chains made values grow before.
"""

from __future__ import annotations

import builtins
import tomllib
from pathlib import Path

import pytest
from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.options import ScanOptions
from migrate_scan.pipeline import parse_tree
from migrate_scan.stages.link import link

ROOT = Path(__file__).resolve().parents[2]
TYPE_SYMBOLS = frozenset(
    rule["type"]
    for rule in tomllib.loads((ROOT / "heuristics" / "types.toml").read_text("utf-8"))["rules"]
    if rule["kind"] == "type"
)


def _imported_names(graphs: LinkedGraphs) -> set[str]:
    names: set[str] = set()
    for facts in graphs.modules.values():
        for fact in facts.imports:
            names.add(fact.module)
            if fact.name and fact.name != "*":
                names.add(f"{fact.module}.{fact.name}")
    return names


def _is_builtin(callee: str) -> bool:
    module, _, path = callee.partition(":")
    if module != "builtins":
        return False
    owner, _, method = path.partition(".")
    if not hasattr(builtins, owner):
        return False
    return not method or (isinstance(getattr(builtins, owner), type) and hasattr(getattr(builtins, owner), method))


def _is_type_method(callee: str) -> bool:
    owner, _, method = callee.rpartition(".")
    return owner in TYPE_SYMBOLS and "." not in method


def _is_evident_outside(callee: str, imported: set[str]) -> bool:
    module, _, path = callee.partition(":")
    steps = path.split(".")
    if not path or len(steps) != len(set(steps)):
        return False  # calling a module, or a step repeated (`s.replace.replace`)
    dotted = f"{module}.{path}"
    return any(dotted == name or dotted.startswith(name + ".") for name in imported)


def bad_callees(graphs: LinkedGraphs) -> list[str]:
    """Callees matching none of the allowed forms."""
    imported = _imported_names(graphs)
    bad = []
    for callee, data in sorted(graphs.call_graph.nodes(data=True)):
        if not data.get("external"):
            assert callee in graphs.definitions or callee in graphs.modules, callee
            continue
        if not (_is_builtin(callee) or _is_type_method(callee) or _is_evident_outside(callee, imported)):
            bad.append(callee)
    return bad


@pytest.mark.parametrize("app", ["flask_shop", "django_helpdesk"])
def test_sample_callees_are_evident(app: str, tmp_path: Path) -> None:
    """Why: the samples' call graphs once named `django.db:models.Model.objects.filter.filter...`."""
    options = ScanOptions(root=ROOT / "sample_monoliths" / app, jobs=1, use_cache=False, cache_dir=tmp_path)
    heuristics = load_heuristics()
    graphs = link(parse_tree(options, heuristics).facts, heuristics.type_rules)
    assert bad_callees(graphs) == []


GENERATED = {
    "app/__init__.py": "",
    "app/tasks.py": """
        import logging
        import pathlib
        import requests
        from invoke import Context
        from django.db import models
        from django.utils import timezone

        logger = logging.getLogger(__name__)

        class Order(models.Model):
            pass

        class Deploy(Context):
            def go(self):
                self.run("make")
                self.config.connect_kwargs.setdefault("key", 1)

        def slugs(names):
            out = []
            for name in names:
                s = "{}".format(name)
                for ch in "/ ":
                    s = s.replace(ch, "-").strip()
                out.append(s.lower())
            return out

        def orders():
            qs = Order.objects.filter(paid=True)
            for field in ("a", "b"):
                qs = qs.filter(**{field: 1}).exclude(x=2)
            return qs.count()

        def fetch(url):
            data = requests.get(url).json()
            logger.info("got %s", data.get("id"))
            now = timezone.now()
            for _ in range(3):
                now = now.replace(hour=1)
            return now.weekday()

        def paths(p):
            path = pathlib.Path(p)
            while path.name:
                path = path.parent.with_suffix(".py")
            return path.read_text()
    """,
}


def test_generated_loops_and_chains_make_no_invented_callee() -> None:
    """Why: values grew through loops (`s = s.replace(...)`) and chains until a cap, each step an edge."""
    heuristics = load_heuristics()
    graphs = link(facts_of(GENERATED), heuristics.type_rules)
    assert bad_callees(graphs) == []
    graph = graphs.call_graph
    assert sorted(graph.successors("app.tasks:slugs")) == [
        "builtins:list.append",
        "builtins:str.format",
        "builtins:str.lower",
        "builtins:str.replace",
        "builtins:str.strip",
    ]
    assert sorted(graph.successors("app.tasks:orders")) == [
        "django.db.models:Manager.filter",
        "django.db.models:QuerySet.count",
        "django.db.models:QuerySet.exclude",
        "django.db.models:QuerySet.filter",
    ]
    # What requests.get returns is a Response (type table); what .json() returns is not known.
    assert sorted(graph.successors("app.tasks:fetch")) == [
        "builtins:range",
        "django.utils:timezone.now",
        "logging:Logger.info",
        "requests:Response.json",
        "requests:get",
    ]
    # A method of the outside class the code subclasses; not an attribute path through its instance.
    assert sorted(graph.successors("app.tasks:Deploy.go")) == ["invoke:Context.run"]
    assert sorted(graph.successors("app.tasks:paths")) == [
        "pathlib:Path",
        "pathlib:Path.read_text",
        "pathlib:Path.with_suffix",
    ]
    outside = sorted((u.location.line, u.callee_text, u.package) for u in graphs.unresolved_calls)
    assert outside == [
        (17, "self.config.connect_kwargs.setdefault", "invoke"),
        (36, "data.get", "requests"),
        (39, "now.replace", "django"),
        (40, "now.weekday", "django"),
    ]


def test_mock_doubles_and_own_instance_attributes_are_not_named_as_outside_methods() -> None:
    """Why: on Saleor, Mocks that tests pass in named `unittest.mock:Mock.app_deleted`; on Django,
    `self._iterable_class(...)`, set by the class's own `__init__`, was also named as a method of
    the outside base class (`AltersData._iterable_class`), which has no such attribute."""
    files = {
        "app/__init__.py": "",
        "app/events.py": """
            from unittest import mock
            from base import Outside

            def call_event(handler):
                return handler.deleted()

            def test_call_event():
                call_event(mock.MagicMock())

            class Iterable:
                def __init__(self, query):
                    self.query = query

            class QuerySet(Outside):
                def __init__(self):
                    self._iterable_class = Iterable

                def iterator(self):
                    return self._iterable_class(self)

                def save(self):
                    return self.refresh()
        """,
    }
    graphs = link(facts_of(files), load_heuristics().type_rules)
    graph = graphs.call_graph
    assert sorted(graph.successors("app.events:call_event")) == []
    assert [(u.callee_text, u.package) for u in graphs.unresolved_calls if u.caller == "app.events:call_event"] == [
        ("handler.deleted", "unittest")
    ]
    assert sorted(graph.successors("app.events:QuerySet.iterator")) == ["app.events:Iterable.__init__"]
    assert sorted(graph.successors("app.events:QuerySet.save")) == ["base:Outside.refresh"]  # inherited: kept
