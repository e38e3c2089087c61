"""The shape of Celery canvases (`Job.canvas`): what each composition becomes, and what stays unknown."""

from __future__ import annotations

import pytest
from snippets import facts_of

from migrate_scan.heuristics.loader import Heuristics, load_heuristics
from migrate_scan.model.report import CanvasStep
from migrate_scan.stages.link import link
from migrate_scan.stages.recognize import jobs

TASKS = """
from celery import chain, chord, group, shared_task, signature

@shared_task
def a(x=None):
    pass

@shared_task
def b(x=None):
    pass

@shared_task
def c(x=None):
    pass

def not_a_task(x):
    pass
"""


@pytest.fixture(scope="module")
def heuristics() -> Heuristics:
    return load_heuristics()


def canvases(body: str, heuristics: Heuristics) -> dict[str, list[CanvasStep]]:
    found = jobs.recognize(link(facts_of({"proj/tasks.py": TASKS + body})), heuristics)
    return {j.handler.partition(":")[2]: j.canvas for j in found.jobs if j.kind == "celery-workflow"}


def t(name: str) -> CanvasStep:
    return CanvasStep(kind="task", task=f"proj.tasks.{name}")


def chain_of(*steps: CanvasStep) -> CanvasStep:
    return CanvasStep(kind="chain", steps=list(steps))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # chain in source order, whatever the order the parser records calls in
        ("def f(x):\n    return chain(a.s(x), b.s(), c.si(x))\n", [chain_of(t("a"), t("b"), t("c"))]),
        # the pipe operator is a chain; nested pipes flatten
        ("def f(x):\n    flow = a.s(x) | b.s() | c.s()\n    return flow\n", [chain_of(t("a"), t("b"), t("c"))]),
        # a chord with its header group and its callback
        (
            "def f(x):\n    return chord(group(a.si(x), b.si(x)), c.s())\n",
            [CanvasStep(kind="chord", steps=[t("a"), t("b")], callback=t("c"))],
        ),
        # chord(header)(body) and a list header
        (
            "def f(x):\n    return chord([a.si(x), b.si(x)])(c.s())\n",
            [CanvasStep(kind="chord", steps=[t("a"), t("b")], callback=t("c"))],
        ),
        # chord's header and body given by keyword
        (
            "def f(x):\n    return chord(header=[a.si(x), b.si(x)], body=c.s())\n",
            [CanvasStep(kind="chord", steps=[t("a"), t("b")], callback=t("c"))],
        ),
        # a group over a comprehension is a map of its one signature
        (
            "def f(xs):\n    group(a.s(x) for x in xs).apply_async()\n",
            [CanvasStep(kind="map", steps=[t("a")])],
        ),
        # a name bound once, `.set()` passed through, `signature('name')`
        (
            "def f(x):\n    head = group(a.s(x), b.s(x))\n"
            "    return chain(head, signature('proj.tasks.c')).set(queue='q')\n",
            [chain_of(CanvasStep(kind="group", steps=[t("a"), t("b")]), t("c"))],
        ),
        # a helper of the same module that builds a canvas is inlined
        (
            "def part(x):\n    return group(b.si(x), c.si(x))\n\ndef f(x):\n    return chain(a.s(x), part(x))\n",
            [chain_of(t("a"), CanvasStep(kind="group", steps=[t("b"), t("c")]))],
        ),
    ],
)
def test_canvas_shapes(body: str, expected: list[CanvasStep], heuristics: Heuristics) -> None:
    assert canvases(body, heuristics)["f"] == expected


@pytest.mark.parametrize(
    "body",
    [
        # members not written out: a starred list
        "def f(steps):\n    return chain(*steps)\n",
        # a call that is neither a primitive nor a canvas-building function
        "def f(x):\n    return chain(a.s(x), make_step(x))\n",
        # a signature of a function that is not a task
        "def f(x):\n    return chain(a.s(x), not_a_task.s(x))\n",
        # a name bound twice: which canvas runs is not static
        "def f(x, y):\n    flow = a.s(x) | b.s()\n    if y:\n        flow = b.s(x) | c.s()\n"
        "    return chain(flow, c.si(x))\n",
        # a header list built at run time
        "def f(xs):\n    header = []\n    for x in xs:\n        header.append(a.s(x))\n"
        "    return chord(header, b.s())\n",
        # a comprehension with two signatures
        "def f(xs):\n    return group(x and a.s(x) or b.s(x) for x in xs)\n",
    ],
)
def test_unknown_parts_leave_the_canvas_unknown(body: str, heuristics: Heuristics) -> None:
    assert canvases(body, heuristics).get("f", []) == []
