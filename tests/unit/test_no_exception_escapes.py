"""Properties over random, syntactically valid Python (hypothesmith): no exception escapes a stage.

Parse facts, the linker and the recognizers (and after them cluster, classify and plan) are run
directly, outside the pipeline's fault isolation, so that any exception fails the test instead of
becoming an `analysis_errors` entry. Two kinds of source: programs from Python's grammar, and
framework idioms (routes, tasks, models, URL patterns, signals) whose arguments are random
expressions, which is where recognizers meet values they did not expect.
"""

from __future__ import annotations

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.model.facts import FileFacts, FileSkipped
from migrate_scan.stages.classify import classify
from migrate_scan.stages.cluster import ClusterSettings, cluster
from migrate_scan.stages.link import link
from migrate_scan.stages.parse import ParseRequest, parse_file
from migrate_scan.stages.plan import plan
from migrate_scan.stages.recognize import recognize

# hypothesmith compiles what it generates; CPython's SyntaxWarnings about those programs are not ours.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

PROPERTIES = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
HEURISTICS = load_heuristics(())

programs = hypothesmith.from_grammar(start="file_input").filter(lambda s: len(s) < 4000)
# Random expressions for the idioms' arguments, built directly (hypothesmith's eval_input is far slower).
_ATOMS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=12).map(repr),
    st.binary(max_size=6).map(repr),
    st.sampled_from(
        [
            "None",
            "True",
            "x",
            "app",
            "models.CASCADE",
            "'/'",
            "'<int:id>/'",
            "r'^(?P<pk>[0-9]+)/$'",
            "f'{x}/y'",
            "...",
            "lambda: 0",
            "1.5",
            "1j",
            "'Item'",
            "'self'",
            "'app.Item'",
            "__name__",
            "settings.URL",
            "str",
        ]
    ),
)


def _compound(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(["+", "%", "|", "if x else"]), inner).map(" ".join),
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.tuples(inner, inner).map(lambda pair: "{" + pair[0] + ": " + pair[1] + "}"),
        st.tuples(
            st.sampled_from(["f", "str", "include", "path", "getattr", "os.path.join"]), st.lists(inner, max_size=2)
        ).map(lambda call: f"{call[0]}({', '.join(call[1])})"),
        inner.map(lambda e: f"({e}).attr"),
        inner.map(lambda e: f"({e})[0]"),
    )


expressions = st.recursive(_ATOMS, _compound, max_leaves=6)

# Idioms the recognizers read, each with holes for random expressions.
TEMPLATES = [
    "from flask import Flask, Blueprint\napp = Flask(__name__)\nbp = Blueprint('b', __name__, url_prefix={0})\n"
    "@app.route({1}, methods={0})\ndef view():\n    return {1}\napp.register_blueprint(bp, url_prefix={1})\n",
    "from django.urls import path, include, re_path\nfrom . import views\n"
    "urlpatterns = [path({0}, views.index), re_path({1}, include({0})), path('x/', {1})]\n",
    "from celery import shared_task, Celery\napp = Celery({0})\n@shared_task(bind={0}, time_limit={1})\n"
    "def work(self):\n    return {1}\napp.conf.beat_schedule = {{'a': {{'task': {0}, 'schedule': {1}}}}}\n",
    "from django.db import models\nclass Item(models.Model):\n    name = models.CharField(max_length={0})\n"
    "    owner = models.ForeignKey({1}, on_delete=models.CASCADE)\n    class Meta:\n        db_table = {0}\n",
    "from sqlalchemy import Column, ForeignKey\nfrom sqlalchemy.orm import relationship, declarative_base\n"
    "Base = declarative_base()\nclass Row(Base):\n    __tablename__ = {0}\n    id = Column({1}, ForeignKey({0}))\n"
    "    parent = relationship({1}, backref={0})\n",
    "from django.db.models.signals import post_save\nfrom django.dispatch import receiver\n"
    "@receiver(post_save, sender={0})\ndef on_save(sender, **kwargs):\n    {1}\npost_save.connect({1}, sender={0})\n",
    "from flask_socketio import SocketIO\nsocketio = SocketIO()\n@socketio.on({0}, namespace={1})\n"
    "def handle(data):\n    socketio.emit({0}, {1})\n",
    "import threading, os\nCACHE = {0}\nthreading.Thread(target={1}, daemon={0}).start()\n"
    "open({1}, 'w').write({0})\nos.environ[{0}] = {1}\n",
]
idioms = st.builds(lambda template, a, b: template.format(a, b), st.sampled_from(TEMPLATES), expressions, expressions)


def parsed(path: str, module: str, source: str) -> FileFacts | FileSkipped:
    result = parse_file(ParseRequest(path=path, module=module, is_package=False, source=source.encode("utf-8")))
    assert isinstance(result, FileFacts | FileSkipped)
    assert (result.path, result.module) == (path, module)
    return result


def analyze(sources: list[str]) -> None:
    """Parse each source as a module of one package, then run every stage after parsing on them."""
    results = [parsed(f"pkg/m{index}.py", f"pkg.m{index}", source) for index, source in enumerate(sources)]
    results.append(parsed("pkg/__init__.py", "pkg", "from . import m0\n"))
    facts = [r for r in results if isinstance(r, FileFacts)]
    graphs = link(facts)
    recognition = recognize(graphs, HEURISTICS)
    clustering = cluster(graphs, recognition, ClusterSettings())
    classification = classify(graphs, recognition, clustering, HEURISTICS)
    plan(classification, clustering, HEURISTICS)


@PROPERTIES
@given(source=programs)
def test_parse_facts_of_any_program(source: str) -> None:
    result = parsed("m.py", "m", source)
    assert isinstance(result, FileFacts) or result.reason.value in ("syntax-error", "newer-syntax")


@PROPERTIES
@given(sources=st.lists(programs, min_size=1, max_size=3))
def test_later_stages_on_any_programs(sources: list[str]) -> None:
    analyze(sources)


@PROPERTIES
@given(sources=st.lists(idioms, min_size=1, max_size=4))
def test_later_stages_on_framework_idioms_with_random_arguments(sources: list[str]) -> None:
    analyze(sources)
