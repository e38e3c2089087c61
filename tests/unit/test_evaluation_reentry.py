"""The evaluator's branch decisions terminate when deciding a branch needs the branch itself again.

`is_dead` asks whether a line sits in a branch not taken; folding the branch's test may follow a
parameter to the call sites of its function, and ask `is_dead` of each. A recursive walker whose
call sits in the branch that tests its own parameter (`if value.get("children"): walk(...)`) meets
the same branch again: that inner question is undecided, and the outer one still gets its answer.
"""

from __future__ import annotations

from snippets import facts_of

from migrate_scan.stages.link import link
from migrate_scan.stages.recognize.evaluation import Evaluator

WALKER = """
def walk(tree, depth):
    for key, value in tree.items():
        if value.get("children"):
            walk(value["children"], depth + 1)
        if value.get("leaf", False):
            walk({}, depth)
    return depth


def main():
    return walk({"a": {"children": {}}}, 0)


FLAGS = {"fast": False}

if FLAGS.get("fast", True):
    SPEED = 1
"""


def test_a_branch_met_again_while_being_decided_is_undecided_and_terminates() -> None:
    graphs = link(facts_of({"proj/__init__.py": "", "proj/walk.py": WALKER}))
    facts = graphs.modules["proj.walk"]
    evaluator = Evaluator(graphs)
    # The recursive calls: their branches test the walker's own parameter; nothing is decided dead.
    assert not evaluator.is_dead(facts, "walk", 5)
    assert not evaluator.is_dead(facts, "walk", 7)
    # A dict literal's `.get` folds: `FLAGS.get("fast", True)` is False, so the body is not taken.
    assert evaluator.is_dead(facts, "", 18)
