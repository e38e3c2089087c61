"""The recognizer registry: ordering by declared products, and rules that cannot silently misfire."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import get_args

import pytest

from migrate_scan.errors import HeuristicsError
from migrate_scan.heuristics.loader import load_heuristics, role_is_handled
from migrate_scan.heuristics.schema import MatchKind, MatchRule
from migrate_scan.model.graphs import LinkedGraphs
from migrate_scan.model.inventory import Recognition
from migrate_scan.model.report import Job
from migrate_scan.stages.recognize import HANDLED_ROLES, RECOGNIZERS, REGISTRY
from migrate_scan.stages.recognize.registry import Product, Recognizer, Registry, RegistryError, publish

NOWHERE = {"file": "x.py", "line": 1}


def _job(name: str) -> Job:
    return Job.model_validate({"kind": "celery-task", "name": name, "handler": f"m:{name}", "location": NOWHERE})


def _fake(name: str, *, produces=(), requires=(), refines=(), calls: list[str] | None = None) -> Recognizer:
    def run(_graphs: LinkedGraphs, _heuristics: object, published: Recognition) -> Recognition:
        if calls is not None:
            calls.append(f"{name} sees {sorted(j.name for j in published.jobs)}")
        found = Recognition()
        if Product.JOBS in produces:
            found.jobs = [_job(name)]
        if Product.JOBS in refines:
            found.jobs = [j.model_copy(update={"name": j.name.upper()}) for j in published.jobs]
        return found

    return Recognizer(
        name=name, run=run, produces=frozenset(produces), requires=frozenset(requires), refines=frozenset(refines)
    )


def test_producers_run_before_refiners_and_readers_whatever_the_registration_order() -> None:
    calls: list[str] = []
    registry = Registry.of(
        [
            _fake("reader", requires=[Product.JOBS], calls=calls),
            _fake("refiner", refines=[Product.JOBS], calls=calls),
            _fake("a", produces=[Product.JOBS], calls=calls),
            _fake("b", produces=[Product.JOBS], calls=calls),
        ]
    )
    assert [r.name for r in registry.ordered] == ["a", "b", "reader", "refiner"]
    published = registry.run(LinkedGraphs.__new__(LinkedGraphs), object())  # type: ignore[arg-type]
    # Why: producers see no jobs (they did not declare them); the reader sees both producers' jobs.
    assert calls == ["a sees []", "b sees []", "reader sees ['a', 'b']", "refiner sees ['a', 'b']"]
    assert sorted(j.name for j in published.jobs) == ["A", "B"]


def test_a_refiner_registered_first_runs_before_a_later_reader() -> None:
    registry = Registry.of(
        [
            _fake("a", produces=[Product.JOBS]),
            _fake("refiner", refines=[Product.JOBS]),
            _fake("reader", requires=[Product.JOBS]),
        ]
    )
    assert [r.name for r in registry.ordered] == ["a", "refiner", "reader"]


def test_a_required_product_nobody_produces_is_an_error() -> None:
    with pytest.raises(RegistryError, match="requires jobs"):
        Registry.of([_fake("reader", requires=[Product.JOBS])])


def test_duplicate_names_and_undeclared_products_are_errors() -> None:
    with pytest.raises(RegistryError, match="duplicate"):
        Registry.of([_fake("a"), _fake("a")])
    sneaky = _fake("sneaky")  # declares nothing, returns jobs
    found = Recognition(jobs=[_job("x")])
    with pytest.raises(RegistryError, match="without declaring"):
        publish(Recognition(), sneaky, found)


def test_bundled_registry_orders_url_trees_before_their_readers() -> None:
    order = [r.name for r in REGISTRY.ordered]
    assert order.index("django") < order.index("graphql") and order.index("flask") < order.index("graphql")
    assert order.index("graphql") < order.index("sse-paths") < order.index("data-access")
    assert order.index("models") < order.index("data-access")


# -- rules that cannot silently misfire -----------------------------------------------------------


def test_every_bundled_match_rule_has_a_handler() -> None:
    load_heuristics(handled_roles=HANDLED_ROLES)  # raises on any kind or role no recognizer handles


def test_every_match_kind_is_handled_and_every_handled_kind_exists() -> None:
    assert set(HANDLED_ROLES) == set(get_args(MatchKind))


def test_every_handled_role_is_used_by_a_bundled_rule() -> None:
    used: dict[str, set[str]] = {}
    for rule in load_heuristics().rules:
        if isinstance(rule, MatchRule):
            used.setdefault(rule.kind, set()).add(rule.role)
    for kind, roles in HANDLED_ROLES.items():
        for role in roles:
            assert any(role_is_handled(u, frozenset({role})) for u in used.get(kind, ())), (kind, role)


def test_a_misspelled_role_in_a_user_rule_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text(
        """
schema_version = 1

[[rules]]
id = "mine.disk.write"
kind = "readiness-call"
framework = "python"
role = "write-frist"
warning = "MS301"
names = ["shutil.copyfile"]
summary = "Copies a file to local disk."
""",
        encoding="utf-8",
    )
    with pytest.raises(HeuristicsError, match=r"mine.toml: rules\[0\].role: no recognizer handles role 'write-frist'"):
        load_heuristics((tmp_path,), handled_roles=HANDLED_ROLES)


def test_a_readiness_rule_without_its_warning_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text(
        """
schema_version = 1

[[rules]]
id = "mine.disk.write"
kind = "readiness-call"
framework = "python"
role = "open"
names = ["shutil.copyfile"]
summary = "Copies a file to local disk."
""",
        encoding="utf-8",
    )
    with pytest.raises(HeuristicsError, match="must name the warning"):
        load_heuristics((tmp_path,))


def _role_literals(tree: ast.AST) -> set[str]:
    """String literals a module compares a `.role` with (`==`, `!=`, `in`, `startswith`)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and _is_role(node.left):
            for comparator in node.comparators:
                found |= _strings(comparator)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and _is_role(node.func.value)
            and node.func.attr in ("startswith", "endswith")
        ):
            affixes = _strings(node.args[0]) if node.args else set()
            found |= {f"{a}*" if node.func.attr == "startswith" else f"*{a}" for a in affixes}
    return found


def _is_role(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "role"


def _strings(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    return set()


def _covered(compared: str, declared: frozenset[str]) -> bool:
    """Whether a compared role (`x`, a prefix `x*` or a suffix `*x`) names declared roles."""
    if compared.endswith("*"):
        return any(d.startswith(compared[:-1]) for d in declared)
    if compared.startswith("*"):
        return any(d.endswith(compared[1:]) for d in declared)
    return role_is_handled(compared, declared)


def _recognizer_modules() -> dict[str, set[str]]:
    """Module file → the roles the recognizers it defines declare."""
    modules: dict[str, set[str]] = {}
    for recognizer in RECOGNIZERS:
        module = inspect.getmodule(recognizer.run)
        assert module is not None and module.__file__ is not None
        roles = modules.setdefault(module.__file__, set())
        roles |= {role for roles_of_kind in recognizer.handles.values() for role in roles_of_kind}
    return modules


@pytest.mark.parametrize("source", sorted(_recognizer_modules()), ids=lambda s: Path(s).name)
def test_roles_a_recognizer_compares_are_roles_it_declares(source: str) -> None:
    declared = frozenset(_recognizer_modules()[source])
    compared = _role_literals(ast.parse(Path(source).read_text(encoding="utf-8")))
    undeclared = {c for c in compared if not _covered(c, declared)}
    assert not undeclared, f"{Path(source).name} compares roles it does not declare: {sorted(undeclared)}"


# -- warning rules and their finders ------------------------------------------------------------


def test_every_warning_rule_has_exactly_one_finder_and_every_finder_a_rule() -> None:
    from migrate_scan.heuristics.schema import WarningRule
    from migrate_scan.stages.classify.findings import FINDERS

    rules = load_heuristics().rules
    declared = {r.id for r in rules if isinstance(r, WarningRule)}
    readiness = {r.warning for r in rules if isinstance(r, MatchRule) and r.warning}
    assert not set(FINDERS) & readiness, "a blocker rule is also raised by a finder"
    assert set(FINDERS) | readiness == declared
    for rule_id, finder in FINDERS.items():
        tree = ast.parse(inspect.getsource(finder))
        raised = {
            node.args[0].value
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "Finding"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        }
        assert raised <= {rule_id}, f"{finder.__name__} raises {sorted(raised)}, declared {rule_id}"
