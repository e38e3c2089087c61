"""One pass over a standard-library `ast` tree → the generic facts of a file.

Input: a parsed `ast.Module` and the file's module name. Output: the tuples of
facts that make up `FileFacts`. Nothing framework-specific happens here, and no
`ast` node escapes: expressions become the small `Expr` tree of `model.facts`.

Statements are walked recursively (Python caps block nesting at 100 levels);
expressions are walked with an explicit stack, so a 10,000-term `a + a + ...`
chain cannot exhaust the interpreter's stack.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, cast

from migrate_scan.model.facts import (
    AssignmentFact,
    BranchFact,
    CallFact,
    DefinitionFact,
    Expr,
    ExprKind,
    ImportFact,
    LoopFact,
    ParameterFact,
    ReturnFact,
)

MAX_EXPR_DEPTH = 12
MAX_CONTAINER_ITEMS = 64
MAX_CALL_ITEMS = 1024  # a list or tuple whose items are all calls (a URL table)
MAX_STRING_CHARS = 2000

_CONTAINER_KINDS: dict[type[ast.AST], str] = {
    ast.List: ExprKind.LIST,
    ast.Tuple: ExprKind.TUPLE,
    ast.Set: ExprKind.SET,
}
_TRUNCATED: Expr = (ExprKind.TRUNCATED, None, (), ())
_NONE: Expr = (ExprKind.CONSTANT, None, (), ())
# One file's leaves, each built once (`self`, `self.request`, `"id"`): the facts share them, so the pickle
# that carries a file's facts to the scan and into the cache is a fifth smaller and faster both ways.
_NAMES: dict[str, Expr] = {}
_ATTRIBUTES: dict[tuple[str, str], Expr] = {}
_CONSTANTS: dict[tuple[type, object], Expr] = {}
_INTERNED_CONSTANTS = frozenset({str, int, bool, type(None)})
# One file's calls already converted, by node: `f(g(x))` converts `g(x)` inside `f(...)`, then again as a call of
# its own, and an assignment or a return converts its value's calls once more. An entry holds the node (its id
# stays its own), the depth it was converted at and its `Expr`, made only when no part of it was cut at
# `MAX_EXPR_DEPTH`: it is then what a conversion at that depth or a shallower one gives.
_CALLS: dict[int, tuple[ast.Call, int, Expr]] = {}
_CUTS = [0]  # how many subexpressions were cut at `MAX_EXPR_DEPTH` so far


def lambda_name(node: ast.Lambda) -> str:
    """The name a lambda gets in qualnames: its position, since it has none of its own."""
    return f"<lambda@{node.lineno}:{node.col_offset}>"


def to_expr(node: ast.expr, depth: int = 0) -> Expr:
    """Convert an `ast` expression to the `Expr` tuple tree (bounded depth and size)."""
    node_type = type(node)
    if depth >= MAX_EXPR_DEPTH:
        _CUTS[0] += 1
        return (ExprKind.OTHER, node_type.__name__, (), ())
    deeper = depth + 1
    if node_type is ast.Name:
        name = node.id  # type: ignore[attr-defined]
        leaf = _NAMES.get(name)
        if leaf is None:
            leaf = _NAMES[name] = (ExprKind.NAME, name, (), ())
        return leaf
    if node_type is ast.Attribute:
        owner = to_expr(node.value, deeper)  # type: ignore[attr-defined]
        if owner[0] != ExprKind.NAME:
            return (ExprKind.ATTRIBUTE, node.attr, (owner,), ())  # type: ignore[attr-defined]
        key = (node.attr, str(owner[1]))  # type: ignore[attr-defined]
        leaf = _ATTRIBUTES.get(key)
        if leaf is None:
            leaf = _ATTRIBUTES[key] = (ExprKind.ATTRIBUTE, key[0], (owner,), ())
        return leaf
    if node_type is ast.Call:
        return _call_to_expr(node, deeper)  # type: ignore[arg-type]
    if node_type is ast.Constant:
        return _constant_to_expr(node.value)  # type: ignore[attr-defined]
    if node_type in _CONTAINER_KINDS:
        return (_CONTAINER_KINDS[node_type], None, _bounded(node.elts, deeper), ())  # type: ignore[attr-defined]
    if node_type is ast.Dict:
        return _dict_to_expr(node, deeper)  # type: ignore[arg-type]
    if node_type is ast.Starred:
        return (ExprKind.STARRED, None, (to_expr(node.value, deeper),), ())  # type: ignore[attr-defined]
    if node_type is ast.Slice:
        bounds = (node.lower, node.upper, node.step)  # type: ignore[attr-defined]
        children = tuple(_NONE if b is None else to_expr(b, deeper) for b in bounds)
        return (ExprKind.OTHER, "Slice", children, ())
    if node_type is ast.Subscript:
        children = (to_expr(node.value, deeper), to_expr(node.slice, deeper))  # type: ignore[attr-defined]
        return (ExprKind.SUBSCRIPT, None, children, ())
    if node_type is ast.BinOp:
        children = (to_expr(node.left, deeper), to_expr(node.right, deeper))  # type: ignore[attr-defined]
        return (ExprKind.BINARY, type(node.op).__name__, children, ())  # type: ignore[attr-defined]
    if node_type is ast.JoinedStr:
        parts = [v.value if type(v) is ast.FormattedValue else v for v in node.values]  # type: ignore[attr-defined]
        return (ExprKind.FSTRING, None, _bounded(parts, deeper), ())
    if node_type is ast.Lambda:
        return (ExprKind.LAMBDA, lambda_name(node), (), ())  # type: ignore[arg-type]
    if node_type is ast.IfExp:  # `a if test else b`: kept so that later stages can fold the branch taken
        branches = (node.test, node.body, node.orelse)  # type: ignore[attr-defined]
        return (ExprKind.OTHER, "IfExp", tuple(to_expr(part, deeper) for part in branches), ())
    if node_type is ast.UnaryOp and type(node.op) is ast.Not:  # type: ignore[attr-defined]
        return (ExprKind.OTHER, "Not", (to_expr(node.operand, deeper),), ())  # type: ignore[attr-defined]
    if node_type is ast.BoolOp:  # `a and not b`: kept so that later stages can fold a guard
        operator = type(node.op).__name__  # type: ignore[attr-defined]
        return (ExprKind.OTHER, operator, _bounded(node.values, deeper), ())  # type: ignore[attr-defined]
    if node_type is ast.Compare:  # `a == b`, `x is not None`: kept so that later stages can fold a filter
        operators = zip(node.ops, node.comparators, strict=True)  # type: ignore[attr-defined]
        compared = tuple([(type(op).__name__, to_expr(right, deeper)) for op, right in operators])
        return (ExprKind.OTHER, "Compare", (to_expr(node.left, deeper),), compared)  # type: ignore[attr-defined]
    if node_type in _COMPREHENSIONS:
        return _comprehension_to_expr(node, deeper)  # type: ignore[arg-type]
    return (ExprKind.OTHER, node_type.__name__, (), ())


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp)


def _comprehension_to_expr(node: ast.ListComp | ast.SetComp | ast.GeneratorExp, depth: int) -> Expr:
    """`[elt for target in iter if c1 if c2]` as (elt, target, iter, c1, c2); several `for`s keep no children."""
    kind = type(node).__name__
    if len(node.generators) != 1 or node.generators[0].is_async:
        return (ExprKind.OTHER, kind, (), ())
    generator = node.generators[0]
    parts = (node.elt, generator.target, generator.iter, *generator.ifs[:MAX_CONTAINER_ITEMS])
    return (ExprKind.OTHER, kind, tuple([to_expr(part, depth) for part in parts]), ())


def encodable(text: str) -> str:
    """`text` with each lone surrogate (`"\\udce9"` in a literal) spelled `\\udce9`: every fact must encode as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _bounded(nodes: list[ast.expr], depth: int) -> tuple[Expr, ...]:
    if len(nodes) <= MAX_CONTAINER_ITEMS:
        return tuple([to_expr(n, depth) for n in nodes])
    # A long list of calls is a registration table (`urlpatterns = [path(...), ...]`), not data: kept longer.
    cap = MAX_CALL_ITEMS if all(type(n) is ast.Call for n in nodes[:MAX_CALL_ITEMS]) else MAX_CONTAINER_ITEMS
    if len(nodes) <= cap:
        return tuple([to_expr(n, depth) for n in nodes])
    return (*[to_expr(n, depth) for n in nodes[:cap]], _TRUNCATED)


def _constant_to_expr(value: object) -> Expr:
    if type(value) is str and not value.isascii():
        value = encodable(value)
    if isinstance(value, str | bytes) and len(value) > MAX_STRING_CHARS:
        return (ExprKind.CONSTANT, value[:MAX_STRING_CHARS], (_TRUNCATED,), ())
    if value is Ellipsis:
        return (ExprKind.OTHER, "Ellipsis", (), ())
    if type(value) not in _INTERNED_CONSTANTS:
        return (ExprKind.CONSTANT, value, (), ())  # type: ignore[return-value]
    key = (type(value), value)  # `True` is not `1`; a float is never shared (`-0.0 == 0.0`)
    leaf = _CONSTANTS.get(key)
    if leaf is None:
        leaf = _CONSTANTS[key] = (ExprKind.CONSTANT, value, (), ())  # type: ignore[assignment]
    return leaf  # type: ignore[return-value]


def _call_to_expr(node: ast.Call, depth: int) -> Expr:
    known = _CALLS.get(id(node))
    if known is not None and known[0] is node and depth <= known[1]:
        return known[2]
    cuts = _CUTS[0]
    children = (to_expr(node.func, depth), *_bounded(node.args, depth))
    # Keywords kept up to the table cap: `environ.Env(DD_X=(bool, True), ...)` declares hundreds of settings.
    keywords = tuple([(k.arg, to_expr(k.value, depth)) for k in node.keywords[:MAX_CALL_ITEMS]])
    converted = (ExprKind.CALL, None, children, keywords)
    if _CUTS[0] == cuts:
        _CALLS[id(node)] = (node, depth, converted)
    return converted


def _dict_to_expr(node: ast.Dict, depth: int) -> Expr:
    children: list[Expr] = []
    for key, value in zip(node.keys[:MAX_CONTAINER_ITEMS], node.values[:MAX_CONTAINER_ITEMS], strict=True):
        children.append((ExprKind.OTHER, "DictUnpack", (), ()) if key is None else to_expr(key, depth))
        children.append(to_expr(value, depth))
    if len(node.keys) > MAX_CONTAINER_ITEMS:
        children.append(_TRUNCATED)
    return (ExprKind.DICT, None, tuple(children), ())


def resolve_relative_module(module: str, is_package: bool, level: int, target: str | None) -> str | None:
    """Resolve `from <level dots><target> import ...` inside `module`; None if it escapes the top."""
    if level == 0:
        return target or ""
    parts = module.split(".") if module else []
    if not is_package:
        parts = parts[:-1]
    drop = level - 1
    if drop >= len(parts):  # as Python: the dots climb to or past the top package
        return None
    base = parts[: len(parts) - drop]
    if target:
        base.append(target)
    return ".".join(base)


class FactExtractor:
    """Walks one module once and accumulates its facts.

    Lifecycle: construct with the module's name, call `extract(tree)` once,
    then read the public tuples. `complexity_by_line` maps a definition's
    first line to radon's cyclomatic complexity for it.
    """

    def __init__(self, module: str, is_package: bool, complexity_by_line: dict[int, int]) -> None:
        self.module = module
        self.is_package = is_package
        self.complexity_by_line = complexity_by_line
        self.imports: list[ImportFact] = []
        self.definitions: list[DefinitionFact] = []
        self.calls: list[CallFact] = []
        self.assignments: list[AssignmentFact] = []
        self.returns: list[ReturnFact] = []
        self.loops: list[LoopFact] = []
        self.branches: list[BranchFact] = []
        self._scope = ""
        self._in_function = False
        self._nesting = 0  # depth of if/for/while/try/match blocks inside the current scope

    def extract(self, tree: ast.Module) -> None:
        """Walk the module body."""
        for table in (_NAMES, _ATTRIBUTES, _CONSTANTS, _CALLS):
            table.clear()  # shared within one file only: a worker's tables never grow past a file
        try:
            self._visit_block(tree.body)
        finally:
            _CALLS.clear()  # the file's nodes: freed with its tree

    # -- statements -------------------------------------------------------

    def _visit_block(self, statements: Iterable[ast.stmt]) -> None:
        for statement in statements:
            handler = self._STATEMENT_HANDLERS.get(type(statement))
            if handler is None:
                self._visit_generic_statement(statement)
            else:
                handler(self, statement)

    def _visit_generic_statement(self, statement: ast.AST) -> None:
        for value in _field_values(statement):
            if isinstance(value, list):
                if value and isinstance(value[0], ast.stmt):
                    if type(statement) in (ast.With, ast.AsyncWith):
                        self._visit_block(value)
                    else:
                        self._visit_nested_block(value)
                elif value and isinstance(value[0], ast.excepthandler | ast.match_case):
                    for item in value:
                        self._visit_generic_statement(item)
                else:
                    for item in value:
                        if isinstance(item, ast.AST):
                            self._collect_calls(item)
            elif isinstance(value, ast.AST):
                self._collect_calls(value)

    def _visit_import(self, node: ast.Import) -> None:
        for alias in node.names:
            bound = alias.asname or alias.name.partition(".")[0]
            aliased = alias.asname is not None
            self.imports.append(ImportFact(node.lineno, self._scope, alias.name, None, bound, is_aliased=aliased))

    def _visit_import_from(self, node: ast.ImportFrom) -> None:
        resolved = resolve_relative_module(self.module, self.is_package, node.level, node.module)
        is_resolved = resolved is not None
        module = resolved if resolved is not None else "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                fact = ImportFact(node.lineno, self._scope, module, "*", None, node.level, is_resolved)
            else:
                bound = alias.asname or alias.name
                fact = ImportFact(node.lineno, self._scope, module, alias.name, bound, node.level, is_resolved)
            self.imports.append(fact)

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self._collect_calls(decorator)
        self._collect_calls(node.args)
        if node.returns is not None:
            self._collect_calls(node.returns)
        qualname = self._qualify(node.name)
        self.definitions.append(
            DefinitionFact(
                kind="function",
                name=node.name,
                qualname=qualname,
                scope=self._scope,
                line=node.lineno,
                end_line=node.end_lineno or node.lineno,
                decorators=tuple(to_expr(d) for d in node.decorator_list),
                parameters=_parameters(node.args),
                returns=to_expr(node.returns) if node.returns is not None else None,
                is_async=isinstance(node, ast.AsyncFunctionDef),
                complexity=self.complexity_by_line.get(node.lineno, 1),
            )
        )
        self._enter(qualname, is_function=True, body=node.body)

    def _visit_class(self, node: ast.ClassDef) -> None:
        for expression in (*node.decorator_list, *node.bases, *(k.value for k in node.keywords)):
            self._collect_calls(expression)
        qualname = self._qualify(node.name)
        self.definitions.append(
            DefinitionFact(
                kind="class",
                name=node.name,
                qualname=qualname,
                scope=self._scope,
                line=node.lineno,
                end_line=node.end_lineno or node.lineno,
                decorators=tuple(to_expr(d) for d in node.decorator_list),
                bases=tuple(to_expr(b) for b in node.bases),
                class_keywords=tuple((k.arg, to_expr(k.value)) for k in node.keywords),
                complexity=self.complexity_by_line.get(node.lineno, 1),
            )
        )
        self._enter(qualname, is_function=False, body=node.body)

    def _visit_nested_block(self, statements: list[ast.stmt]) -> None:
        self._nesting += 1
        try:
            self._visit_block(statements)
        finally:
            self._nesting -= 1

    def _enter(self, qualname: str, *, is_function: bool, body: list[ast.stmt]) -> None:
        saved = self._scope, self._in_function, self._nesting
        self._scope, self._in_function, self._nesting = qualname, is_function, 0
        try:
            self._visit_block(body)
        finally:
            self._scope, self._in_function, self._nesting = saved

    def _visit_assign(self, node: ast.Assign) -> None:
        self._collect_calls(node.value)
        for target in node.targets:
            self._collect_calls(target)
        self._record_assignment(node.lineno, node.targets, node.value, None, None)

    def _visit_ann_assign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._collect_calls(node.value)
        self._record_assignment(node.lineno, [node.target], node.value, node.annotation, None)

    def _visit_aug_assign(self, node: ast.AugAssign) -> None:
        self._collect_calls(node.value)
        self._record_assignment(node.lineno, [node.target], node.value, None, type(node.op).__name__)

    def _record_assignment(
        self,
        line: int,
        targets: list[ast.expr],
        value: ast.expr | None,
        annotation: ast.expr | None,
        operator: str | None,
    ) -> None:
        if self._in_function and not all(_is_simple_target(t) for t in targets):
            return
        self.assignments.append(
            AssignmentFact(
                line=line,
                scope=self._scope,
                targets=tuple(to_expr(t) for t in targets),
                value=to_expr(value) if value is not None else None,
                annotation=to_expr(annotation) if annotation is not None else None,
                operator=operator,
                is_conditional=self._nesting > 0,
            )
        )

    def _visit_return(self, node: ast.Return) -> None:
        if node.value is None:
            return
        self._collect_calls(node.value)
        if self._in_function:
            self.returns.append(ReturnFact(node.lineno, self._scope, to_expr(node.value)))

    def _visit_for(self, node: ast.For | ast.AsyncFor) -> None:
        self._collect_calls(node.iter)
        self._record_iteration(node.target, node.iter)
        self._visit_nested_block(node.body)
        self._visit_nested_block(node.orelse)

    def _record_iteration(self, target: ast.expr, iterable: ast.expr) -> None:
        """`for target in iterable` (statement or comprehension): an assignment of the elements."""
        if not self._in_function or _is_simple_target(target):
            self.assignments.append(
                AssignmentFact(iterable.lineno, self._scope, (to_expr(target),), to_expr(iterable), None, "iter")
            )

    def _visit_raise(self, node: ast.Raise) -> None:
        """`raise SomeError` instantiates the class: recorded as the call it implies."""
        self._visit_generic_statement(node)
        exception = node.exc
        if isinstance(exception, ast.Name | ast.Attribute):
            implied = (ExprKind.CALL, None, (to_expr(exception),), ())
            self.calls.append(CallFact(node.lineno, self._scope, implied, is_implicit=True))

    def _visit_while(self, node: ast.While) -> None:
        test = node.test
        is_flag = _is_flag_test(test)
        if (isinstance(test, ast.Constant) and test.value) or is_flag:
            assigned = _names_stored_in(node.body)
            # `while not done: ...; done = True`: a local flag its own body sets is an ordinary loop
            if not (is_flag and _flag_name(test) in assigned):
                self._record_loop(node, is_flag, assigned)
        self._visit_generic_statement(node)

    def _record_loop(self, node: ast.While, is_flag: bool, assigned: frozenset[str]) -> None:
        exits, yields, settles = _loop_exits_and_yields(node, assigned)
        end_line = node.end_lineno or node.lineno
        self.loops.append(LoopFact(node.lineno, self._scope, end_line, is_flag, exits, yields, settles))

    def _visit_if(self, node: ast.If) -> None:
        body_end = node.body[-1].end_lineno or node.body[-1].lineno
        else_line = node.orelse[0].lineno if node.orelse else 0
        else_end = (node.orelse[-1].end_lineno or node.orelse[-1].lineno) if node.orelse else 0
        exits = _leaves(node.body[-1])
        test = to_expr(node.test)
        self.branches.append(BranchFact(node.lineno, self._scope, test, body_end, else_line, else_end, exits=exits))
        self._visit_generic_statement(node)

    def _visit_with(self, node: ast.With | ast.AsyncWith) -> None:
        body_end = node.body[-1].end_lineno or node.body[-1].lineno
        for item in node.items:
            self.branches.append(
                BranchFact(node.lineno, self._scope, to_expr(item.context_expr), body_end, kind="with")
            )
        self._visit_generic_statement(node)

    _STATEMENT_HANDLERS: ClassVar[dict[type[ast.stmt], Callable[[FactExtractor, Any], None]]] = {
        ast.Import: _visit_import,
        ast.ImportFrom: _visit_import_from,
        ast.FunctionDef: _visit_function,
        ast.AsyncFunctionDef: _visit_function,
        ast.ClassDef: _visit_class,
        ast.Assign: _visit_assign,
        ast.AnnAssign: _visit_ann_assign,
        ast.AugAssign: _visit_aug_assign,
        ast.Return: _visit_return,
        ast.While: _visit_while,
        ast.If: _visit_if,
        ast.With: _visit_with,
        ast.AsyncWith: _visit_with,
        ast.For: _visit_for,
        ast.AsyncFor: _visit_for,
        ast.Raise: _visit_raise,
    }

    # -- expressions ------------------------------------------------------

    def _collect_calls(self, root: ast.AST) -> None:
        """Record every call inside an expression (lambdas and comprehensions included)."""
        stack = [root]
        pop, push, extend = stack.pop, stack.append, stack.extend
        calls, scope = self.calls, self._scope
        while stack:
            node = pop()
            node_type = type(node)
            if node_type is ast.Call:
                call = cast(ast.Call, node)  # the exact-type test above is this hot loop's narrowing
                calls.append(CallFact(call.lineno, scope, to_expr(call)))
                literal = _evaluated_literal(call)
                if literal is not None:
                    push(literal)
            elif node_type is ast.Lambda:
                self._visit_lambda(node)  # type: ignore[arg-type]
                continue
            elif node_type is ast.comprehension:
                self._record_iteration(node.target, node.iter)  # type: ignore[attr-defined]
            elif node_type is ast.Yield and node.value is not None and self._in_function:  # type: ignore[attr-defined]
                self.returns.append(ReturnFact(node.lineno, scope, to_expr(node.value), True))  # type: ignore[attr-defined]
            fields = _CHILD_FIELDS.get(node_type)
            if fields is None:
                fields = _CHILD_FIELDS[node_type] = _child_fields(node_type)
            for name in fields:
                value = getattr(node, name, None)
                if type(value) is list:
                    extend(value)
                elif value is not None:
                    push(value)

    def _visit_lambda(self, node: ast.Lambda) -> None:
        """A lambda is a small function: a definition whose body is its return value."""
        self._collect_calls(node.args)
        qualname = self._qualify(lambda_name(node))
        self.definitions.append(
            DefinitionFact(
                kind="lambda",
                name=lambda_name(node),
                qualname=qualname,
                scope=self._scope,
                line=node.lineno,
                end_line=node.end_lineno or node.lineno,
                parameters=_parameters(node.args),
            )
        )
        saved = self._scope, self._in_function
        self._scope, self._in_function = qualname, True
        try:
            self._collect_calls(node.body)
            self.returns.append(ReturnFact(node.lineno, qualname, to_expr(node.body)))
        finally:
            self._scope, self._in_function = saved

    def _qualify(self, name: str) -> str:
        return f"{self._scope}.{name}" if self._scope else name


_LEAF_FIELDS = frozenset({"ctx", "op", "ops", "id", "attr", "arg", "kind", "type_comment", "conversion", "level"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: (), ast.Name: ()}


def _child_fields(node_type: type) -> tuple[str, ...]:
    """The fields of a node type that can hold sub-expressions."""
    return tuple(name for name in getattr(node_type, "_fields", ()) if name not in _LEAF_FIELDS)


def _field_values(node: ast.AST) -> Iterable[object]:
    for name in node._fields:
        yield getattr(node, name, None)


def _leaves(statement: ast.stmt) -> bool:
    """Whether a block whose last statement this is leaves the function (`return`, bare or not, or `raise`)."""
    return isinstance(statement, ast.Return | ast.Raise)


def _is_flag_test(test: ast.expr) -> bool:
    """`running`, `self.running`, `not self.shutdown`, `not stop.is_set()`: a loop stopped by a flag."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test = test.operand
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and not test.args and not test.keywords:
        test = test.func  # `stop.is_set()`: a method of a flag object; a plain `done()` is a condition
    return isinstance(test, ast.Name | ast.Attribute)


def _flag_name(test: ast.expr) -> str | None:
    """The local name a flag test reads (`done`, `not done`); None for an attribute or a method call."""
    test = test.operand if isinstance(test, ast.UnaryOp) else test
    return test.id if isinstance(test, ast.Name) else None


def _loop_exits_and_yields(loop: ast.While, assigned: frozenset[str]) -> tuple[bool, bool, bool]:
    """Whether the loop's body returns or breaks out of it, whether it yields (nested functions aside),
    and whether it leaves on a result, as a poll or a retry does.

    Leaving on a result: a `return`/`break` outside exception handlers, either unconditional (`try:
    work(); return`) or under a test that reads what this iteration computed (a name the body assigns,
    a call: `if result["status"] == "done": break`). A worker leaves on a stop request instead, state
    set from outside (`if self._stop: break`, `except KeyboardInterrupt: break`).
    """
    exits = yields = settles = False
    # (node, inside a nested loop, inside an exception handler, the test of the nearest enclosing `if`)
    stack: list[tuple[ast.AST, bool, bool, ast.expr | None]] = [(child, False, False, None) for child in loop.body]
    while stack:
        node, nested, handling, guard = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        if isinstance(node, ast.Return) or (isinstance(node, ast.Break) and not nested):
            exits = True
            settles = settles or (not handling and (guard is None or _reads_a_result(guard, assigned)))
        elif isinstance(node, ast.Yield | ast.YieldFrom):
            yields = True
        inner = nested or isinstance(node, ast.For | ast.AsyncFor | ast.While)
        handler = handling or isinstance(node, ast.ExceptHandler)
        if isinstance(node, ast.If):
            stack.append((node.test, inner, handler, guard))
            stack.extend((child, inner, handler, node.test) for child in [*node.body, *node.orelse])
        else:
            stack.extend((child, inner, handler, guard) for child in ast.iter_child_nodes(node))
    return exits, yields, settles


def _names_stored_in(body: list[ast.stmt]) -> frozenset[str]:
    """Local names a block assigns (nested functions and classes aside)."""
    names: set[str] = set()
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        stack.extend(ast.iter_child_nodes(node))
    return frozenset(names)


def _reads_a_result(test: ast.expr, assigned: frozenset[str]) -> bool:
    """The test reads what the loop computed: a name its body assigns, or a call (an event's `is_set()` aside)."""
    for node in ast.walk(test):
        if isinstance(node, ast.Name) and node.id in assigned:
            return True
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Attribute) and node.func.attr == "is_set"):
            return True
    return False


def _evaluated_literal(call: ast.Call) -> ast.AST | None:
    """The code inside `eval("...")`/`exec("...")` when it is a literal: static after all."""
    func = call.func
    if not (isinstance(func, ast.Name) and func.id in ("eval", "exec") and call.args):
        return None
    source = call.args[0]
    if not (isinstance(source, ast.Constant) and isinstance(source.value, str)) or len(source.value) > 10_000:
        return None
    try:
        tree = ast.parse(source.value, mode="eval" if func.id == "eval" else "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    for node in ast.walk(tree):  # report calls at the line of the eval itself
        if hasattr(node, "lineno"):
            node.lineno = call.lineno
    return tree


def _is_simple_target(target: ast.expr) -> bool:
    if isinstance(target, ast.Name):
        return True
    if isinstance(target, ast.Subscript):
        return _is_simple_target(target.value)
    if isinstance(target, ast.Tuple | ast.List):
        return all(_is_simple_target(element) for element in target.elts)
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Attribute):
        return True  # configuration set in a factory: `celery.conf.beat_schedule = {...}`, `app.config.x = ...`
    # `self.x = ...`, and `order.status = ...` (an instance changed, then saved or committed: a write)
    return isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)


def _parameters(arguments: ast.arguments) -> tuple[ParameterFact, ...]:
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
    defaults.extend(arguments.defaults)
    parameters = [_parameter(a, "positional", d) for a, d in zip(positional, defaults, strict=True)]
    if arguments.vararg is not None:
        parameters.append(_parameter(arguments.vararg, "vararg", None))
    for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
        parameters.append(_parameter(argument, "keyword", default))
    if arguments.kwarg is not None:
        parameters.append(_parameter(arguments.kwarg, "varkw", None))
    return tuple(parameters)


def _parameter(argument: ast.arg, kind: str, default: ast.expr | None) -> ParameterFact:
    return ParameterFact(
        name=argument.arg,
        kind=kind,
        annotation=to_expr(argument.annotation) if argument.annotation is not None else None,
        default=to_expr(default) if default is not None else None,
    )
