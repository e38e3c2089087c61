"""Parse stage: the exact facts (symbols, scopes, lines, expression trees) of small snippets."""

from __future__ import annotations

import textwrap

import pytest

from migrate_scan.model.facts import (
    AssignmentFact,
    CallFact,
    DefinitionFact,
    Expr,
    ExprKind,
    FileFacts,
    FileMetrics,
    FileSkipped,
    ImportFact,
    LoopFact,
    ParameterFact,
    ReturnFact,
    SkipReason,
    SuppressionFact,
    decode_result,
    dotted_name,
    encode_result,
)
from migrate_scan.stages.parse import MAX_DOCSTRING_CHARS, ParseRequest, parse_file

# -- expression-tree builders (the Expr tuple is `(kind, value, children, keywords)`) ------------


def name(identifier: str) -> Expr:
    return (ExprKind.NAME, identifier, (), ())


def attr(obj: Expr, attribute: str) -> Expr:
    return (ExprKind.ATTRIBUTE, attribute, (obj,), ())


def const(value: object) -> Expr:
    return (ExprKind.CONSTANT, value, (), ())  # type: ignore[return-value]


def call(func: Expr, *args: Expr, **keywords: Expr) -> Expr:
    return (ExprKind.CALL, None, (func, *args), tuple(keywords.items()))


def tuple_of(*items: Expr) -> Expr:
    return (ExprKind.TUPLE, None, items, ())


def dotted(text: str) -> Expr:
    first, *rest = text.split(".")
    expr = name(first)
    for part in rest:
        expr = attr(expr, part)
    return expr


def parse(source: str | bytes, module: str = "pkg.mod", is_package: bool = False, path: str = "pkg/mod.py"):
    data = textwrap.dedent(source).encode() if isinstance(source, str) else source
    return parse_file(ParseRequest(path=path, module=module, is_package=is_package, source=data))


def facts_of(source: str, **kwargs) -> FileFacts:
    result = parse(source, **kwargs)
    assert isinstance(result, FileFacts), result
    return result


# -- imports ----------------------------------------------------------------------------------


def test_absolute_imports_and_aliases() -> None:
    facts = facts_of(
        """\
        import os
        import a.b.c
        import x.y as z, json
        from pkg.sub import name, other as alias

        def f():
            import late
        """
    )

    assert facts.imports == (
        ImportFact(1, "", "os", None, "os"),
        ImportFact(2, "", "a.b.c", None, "a"),  # `import a.b.c` binds `a`
        ImportFact(3, "", "x.y", None, "z", is_aliased=True),  # `import x.y as z` binds `x.y`
        ImportFact(3, "", "json", None, "json"),
        ImportFact(4, "", "pkg.sub", "name", "name"),
        ImportFact(4, "", "pkg.sub", "other", "alias"),
        ImportFact(7, "f", "late", None, "late"),
    )


@pytest.mark.parametrize(
    ("module", "is_package", "statement", "expected"),
    [
        # (resolved module, imported name, level, resolved?)
        ("pkg.mod", False, "from . import x", ("pkg", "x", 1, True)),
        ("pkg.mod", False, "from .sib import y", ("pkg.sib", "y", 1, True)),
        ("pkg.mod", False, "from .. import x", ("..", "x", 2, False)),  # above the top package
        ("pkg.mod", False, "from ..m import y", ("..m", "y", 2, False)),  # Python refuses it too
        ("pkg", True, "from . import x", ("pkg", "x", 1, True)),  # in __init__, `.` is the package itself
        ("pkg", True, "from .m import y", ("pkg.m", "y", 1, True)),
        ("pkg", True, "from ..m import y", ("..m", "y", 2, False)),
        ("pkg.sub", True, "from ..m import y", ("pkg.m", "y", 2, True)),
        ("pkg.sub.mod", False, "from ..m import y", ("pkg.m", "y", 2, True)),
        ("pkg.sub.mod", False, "from ... import y", ("...", "y", 3, False)),
        ("pkg.sub.mod", False, "from .....far import z", (".....far", "z", 5, False)),
        ("top", False, "from . import x", (".", "x", 1, False)),  # a top-level module has no package
        ("top", False, "from .m import x", (".m", "x", 1, False)),
    ],
)
def test_relative_imports(module: str, is_package: bool, statement: str, expected: tuple) -> None:
    resolved, imported, level, is_resolved = expected
    facts = facts_of(statement + "\n", module=module, is_package=is_package)

    bound = imported
    assert facts.imports == (ImportFact(1, "", resolved, imported, bound, level, is_resolved),)


def test_star_import() -> None:
    facts = facts_of("from .helpers import *\nfrom os.path import *\n")

    assert facts.imports == (
        ImportFact(1, "", "pkg.helpers", "*", None, 1, True),
        ImportFact(2, "", "os.path", "*", None, 0, True),
    )


# -- definitions ------------------------------------------------------------------------------

RICH_SOURCE = '''\
"""Orders: the views.

More text.
"""
import os

# a comment line
class Meta(type):
    pass


@register
@route("/x", methods=["GET"])
class A(Base, mixins.M, metaclass=Meta):
    attr: int = 3
    other = helper()

    def m(self, a, b: int = 2, *args, c, d=None, **kw) -> str:
        self.x = compute(a)
        other.x = 1
        local = 1
        p, q = 1, 2
        return str(a)

    async def am(self, /, z):
        await go()


def f(x):
    if x:
        return 1
    elif x > 2:
        return 2

    def g():
        return inner()
    while True:
        pass
    return g


@app.route("/r", endpoint=make_name())
def view():
    while 1:
        log("y")


total = count(1) + 2
total += 1
'''


@pytest.fixture(scope="module")
def rich() -> FileFacts:
    result = parse(RICH_SOURCE)
    assert isinstance(result, FileFacts)
    return result


def test_definitions(rich: FileFacts) -> None:
    route_decorator = call(name("route"), const("/x"), methods=(ExprKind.LIST, None, (const("GET"),), ()))
    assert rich.definitions == (
        DefinitionFact("class", "Meta", "Meta", "", 8, 9, bases=(name("type"),)),
        DefinitionFact(
            "class",
            "A",
            "A",
            "",
            14,
            26,
            decorators=(name("register"), route_decorator),
            bases=(name("Base"), dotted("mixins.M")),
            class_keywords=(("metaclass", name("Meta")),),
            complexity=2,
        ),
        DefinitionFact(
            "function",
            "m",
            "A.m",
            "A",
            18,
            23,
            parameters=(
                ParameterFact("self", "positional"),
                ParameterFact("a", "positional"),
                ParameterFact("b", "positional", name("int"), const(2)),
                ParameterFact("args", "vararg"),
                ParameterFact("c", "keyword"),
                ParameterFact("d", "keyword", None, const(None)),
                ParameterFact("kw", "varkw"),
            ),
            returns=name("str"),
        ),
        DefinitionFact(
            "function",
            "am",
            "A.am",
            "A",
            25,
            26,
            parameters=(ParameterFact("self", "positional"), ParameterFact("z", "positional")),
            is_async=True,
        ),
        DefinitionFact("function", "f", "f", "", 29, 39, parameters=(ParameterFact("x", "positional"),), complexity=4),
        DefinitionFact("function", "g", "f.g", "f", 35, 36),
        DefinitionFact(
            "function",
            "view",
            "view",
            "",
            43,
            45,
            decorators=(call(dotted("app.route"), const("/r"), endpoint=call(name("make_name"))),),
            complexity=2,
        ),
    )


def test_calls_belong_to_their_enclosing_scope(rich: FileFacts) -> None:
    # Calls in decorators and class bases run in the enclosing scope, not in the decorated one.
    assert [(c.line, c.scope, dotted_name(c.call[2][0])) for c in rich.calls] == [
        (13, "", "route"),
        (16, "A", "helper"),
        (19, "A.m", "compute"),
        (23, "A.m", "str"),
        (26, "A.am", "go"),
        (36, "f.g", "inner"),
        (42, "", "app.route"),
        (42, "", "make_name"),
        (45, "view", "log"),
        (48, "", "count"),
    ]
    assert rich.calls[8] == CallFact(45, "view", call(name("log"), const("y")))


def test_assignments_module_class_and_simple_function_level(rich: FileFacts) -> None:
    assert rich.assignments == (
        AssignmentFact(15, "A", (name("attr"),), const(3), annotation=name("int")),
        AssignmentFact(16, "A", (name("other"),), call(name("helper"))),
        AssignmentFact(19, "A.m", (dotted("self.x"),), call(name("compute"), name("a"))),
        # `other.x = 1`: an instance changed (a write of a model once saved or committed).
        AssignmentFact(20, "A.m", (dotted("other.x"),), const(1)),
        AssignmentFact(21, "A.m", (name("local"),), const(1)),
        AssignmentFact(22, "A.m", ((ExprKind.TUPLE, None, (name("p"), name("q")), ()),), tuple_of(const(1), const(2))),
        AssignmentFact(
            48, "", (name("total"),), (ExprKind.BINARY, "Add", (call(name("count"), const(1)), const(2)), ())
        ),
        AssignmentFact(49, "", (name("total"),), const(1), operator="Add"),
    )


def test_module_level_assignments_keep_any_target() -> None:
    facts = facts_of('a, b = 1, 2\nCONFIG["k"] = v\nother.attr = w\n')

    assert facts.assignments == (
        AssignmentFact(1, "", (tuple_of(name("a"), name("b")),), tuple_of(const(1), const(2))),
        AssignmentFact(2, "", ((ExprKind.SUBSCRIPT, None, (name("CONFIG"), const("k")), ()),), name("v")),
        AssignmentFact(3, "", (dotted("other.attr"),), name("w")),
    )


def test_function_level_assignments_for_names_attributes_and_subscripts() -> None:
    facts = facts_of("def f(other):\n    x = 1\n    self.y = 2\n    other.z = 3\n    a.b.c = 4\n")

    assert [(a.line, a.scope, a.targets) for a in facts.assignments] == [
        (2, "f", (name("x"),)),
        (3, "f", (dotted("self.y"),)),
        (4, "f", (dotted("other.z"),)),  # an attribute of an instance set (`order.status = "paid"`)
        (5, "f", (dotted("a.b.c"),)),  # configuration on an attribute chain (`celery.conf.beat_schedule = ...`)
    ]


def test_returns_and_loops(rich: FileFacts) -> None:
    assert rich.returns == (
        ReturnFact(23, "A.m", call(name("str"), name("a"))),
        ReturnFact(31, "f", const(1)),
        ReturnFact(33, "f", const(2)),
        ReturnFact(36, "f.g", call(name("inner"))),
        ReturnFact(39, "f", name("g")),
    )
    assert rich.loops == (LoopFact(37, "f", end_line=38), LoopFact(44, "view", end_line=45))


def test_a_while_with_a_real_condition_is_not_an_infinite_loop() -> None:
    facts = facts_of("while running():\n    pass\nwhile 0:\n    pass\nwhile 'yes':\n    pass\n")

    assert facts.loops == (LoopFact(5, "", end_line=6),)


def test_loops_stopped_by_a_flag_and_what_their_body_does() -> None:
    source = (
        "def run(self, stop):\n"
        "    while not self.shutdown:\n"  # 2: a flag
        "        for x in self.items:\n"
        "            break\n"  # breaks the inner loop only
        "    while not stop.is_set():\n"  # 5: a flag object's method
        "        return 1\n"
        "    while True:\n"  # 7: a stream
        "        yield 2\n"
        "        def helper():\n"
        "            return 3\n"  # a nested function's return does not leave the loop
        "    done = False\n"
        "    while not done:\n"  # 12: a local flag the body sets: an ordinary loop, not recorded
        "        done = True\n"
        "    while True:\n"  # 14: leaves only from an exception handler
        "        try:\n"
        "            pass\n"
        "        except KeyboardInterrupt:\n"
        "            break\n"
    )
    assert facts_of(source).loops == (
        LoopFact(2, "run", end_line=4, is_flag=True),
        LoopFact(5, "run", end_line=6, is_flag=True, exits=True, settles=True),
        LoopFact(7, "run", end_line=10, yields=True),
        LoopFact(14, "run", end_line=18, exits=True),
    )


def test_metrics_and_docstring(rich: FileFacts) -> None:
    # complexity is radon's total for the file: its decision points + 1.
    assert rich.metrics == FileMetrics(loc=49, sloc=35, comments=1, blank=13, complexity=7, max_complexity=4)
    assert rich.docstring == "Orders: the views.\n\nMore text."
    assert (rich.path, rich.module, rich.is_package, rich.parser) == ("pkg/mod.py", "pkg.mod", False, "ast")


@pytest.mark.parametrize(
    ("source", "loc", "blank", "comments"),
    [
        ("", 0, 0, 0),
        ("x = 1", 1, 0, 0),
        ("x = 1\n\n\n", 3, 2, 0),
        ("# one\n    # two, indented\nx = 1  # trailing is code\n", 3, 0, 2),
        ('"""doc"""\n\n# c\n', 3, 1, 1),
        ("x = 1\r\ny = 2\r\n", 2, 0, 0),
    ],
)
def test_line_counts(source: str, loc: int, blank: int, comments: int) -> None:
    metrics = facts_of(source).metrics

    sloc = loc - blank - comments
    assert (metrics.loc, metrics.blank, metrics.comments, metrics.sloc) == (loc, blank, comments, sloc)


@pytest.mark.parametrize(
    ("source", "complexity", "max_complexity"),
    [
        ("x = 1\n", 1, 0),
        ("def f():\n    pass\n", 1, 1),
        ("def f(a):\n    if a:\n        return 1\n    for i in a:\n        pass\n", 3, 3),
        ("def f(a):\n    return a and b and c\n", 3, 3),
        ("class A:\n    def m(self, x):\n        while x:\n            pass\n", 3, 2),
        ("def f():\n    pass\ndef g(x):\n    if x:\n        pass\n", 2, 2),
    ],
)
def test_complexity_from_radon(source: str, complexity: int, max_complexity: int) -> None:
    metrics = facts_of(source).metrics

    assert (metrics.complexity, metrics.max_complexity) == (complexity, max_complexity)


def test_docstring_absent_or_long() -> None:
    assert facts_of("x = 1\n").docstring is None
    assert facts_of(f'"""{"y" * 2000}"""\n').docstring == "y" * MAX_DOCSTRING_CHARS


# -- suppressions -----------------------------------------------------------------------------


def test_suppression_comments() -> None:
    facts = facts_of(
        """\
        # migrate-scan: ignore-file[AP301] legacy module
        x = 1  # migrate-scan: ignore[AP201,AP202] reason here
        y = 2  # migrate-scan: ignore
        z = 3  # migrate-scan: ignore[ AP202 , AP201 ] - because
        w = 4  # migrate-scan: ignore-file
        v = 5  # migrate-scan: something-else
        """
    )

    assert facts.suppressions == (
        SuppressionFact(1, ("AP301",), "legacy module", is_file_level=True),
        SuppressionFact(2, ("AP201", "AP202"), "reason here"),
        SuppressionFact(3, (), ""),  # no bracket: every rule
        SuppressionFact(4, ("AP201", "AP202"), "because"),
        SuppressionFact(5, (), "", is_file_level=True),
    )


# -- expressions ------------------------------------------------------------------------------


def test_expression_tree_kinds() -> None:
    facts = facts_of(
        """\
        V = [a, (1, 2), {3}, {"k": v, **rest}, *more, x[0], a | b, f"{u} {w()}", ..., not y]
        """
    )

    (assignment,) = facts.assignments
    assert assignment.value == (
        ExprKind.LIST,
        None,
        (
            name("a"),
            (ExprKind.TUPLE, None, (const(1), const(2)), ()),
            (ExprKind.SET, None, (const(3),), ()),
            (ExprKind.DICT, None, (const("k"), name("v"), (ExprKind.OTHER, "DictUnpack", (), ()), name("rest")), ()),
            (ExprKind.STARRED, None, (name("more"),), ()),
            (ExprKind.SUBSCRIPT, None, (name("x"), const(0)), ()),
            (ExprKind.BINARY, "BitOr", (name("a"), name("b")), ()),
            (ExprKind.FSTRING, None, (name("u"), (ExprKind.CONSTANT, " ", (), ()), call(name("w"))), ()),
            (ExprKind.OTHER, "Ellipsis", (), ()),
            (ExprKind.OTHER, "Not", (name("y"),), ()),  # `not` keeps its operand (a guard folds it)
        ),
        (),
    )
    assert facts.calls == (CallFact(1, "", call(name("w"))),)


def test_large_containers_and_strings_are_truncated() -> None:
    facts = facts_of(f"V = [{', '.join(str(i) for i in range(100))}]\nS = '{'s' * 3000}'\n")

    values = [a.value for a in facts.assignments]
    assert values[0][2] == (*(const(i) for i in range(64)), (ExprKind.TRUNCATED, None, (), ()))
    assert values[1] == (ExprKind.CONSTANT, "s" * 2000, ((ExprKind.TRUNCATED, None, (), ()),), ())


def test_a_long_list_of_calls_is_a_table_kept_whole() -> None:
    facts = facts_of(f"urlpatterns = [{', '.join(f'path({i})' for i in range(100))}]\n")

    (assignment,) = facts.assignments
    assert assignment.value is not None
    assert assignment.value[2] == tuple(call(name("path"), const(i)) for i in range(100))


def test_comparisons_and_comprehensions_keep_their_parts() -> None:
    facts = facts_of(
        """\
        A = x is not None
        B = [v for v in items if v["detail"] == detail]
        C = [a for a in xs for b in ys]
        """
    )

    values = [a.value for a in facts.assignments if a.operator is None]
    assert values[0] == (ExprKind.OTHER, "Compare", (name("x"),), (("IsNot", const(None)),))
    compare = (
        ExprKind.OTHER,
        "Compare",
        ((ExprKind.SUBSCRIPT, None, (name("v"), const("detail")), ()),),
        (("Eq", name("detail")),),
    )
    assert values[1] == (ExprKind.OTHER, "ListComp", (name("v"), name("v"), name("items"), compare), ())
    assert values[2] == (ExprKind.OTHER, "ListComp", (), ())  # several `for`s: no parts


def test_guards_keep_not_and_boolean_operands_and_whether_their_body_leaves() -> None:
    facts = facts_of(
        """\
        def receiver(sender, instance, created, raw=False, **kwargs):
            if created and not raw:
                notify(instance)
            if not hasattr(instance, "to_change"):
                return
            if -1 or kwargs:
                raise ValueError
        """
    )

    first, second, third = facts.branches
    assert first.test == (ExprKind.OTHER, "And", (name("created"), (ExprKind.OTHER, "Not", (name("raw"),), ())), ())
    assert not first.exits  # its body goes on
    assert second.test == (ExprKind.OTHER, "Not", (call(name("hasattr"), name("instance"), const("to_change")),), ())
    assert second.exits  # a bare `return`
    assert third.test == (ExprKind.OTHER, "Or", ((ExprKind.OTHER, "UnaryOp", (), ()), name("kwargs")), ())
    assert third.exits  # a `raise`


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (name("a"), "a"),
        (dotted("a.b.c"), "a.b.c"),
        (call(name("f")), None),
        (attr(call(name("f")), "x"), None),
        (const("a"), None),
    ],
)
def test_dotted_name(expr: Expr, expected: str | None) -> None:
    assert dotted_name(expr) == expected


# -- wire form ---------------------------------------------------------------------------------


def test_encode_decode_round_trip_of_rich_facts(rich: FileFacts) -> None:
    decoded = decode_result(encode_result(rich))

    assert decoded == rich
    assert type(decoded) is FileFacts
    assert type(decoded.metrics) is FileMetrics
    assert type(decoded.definitions[2].parameters[2]) is ParameterFact
    assert decoded.definitions[2].parameters[2].annotation == name("int")


def test_encode_decode_round_trip_of_suppressions_and_libcst_facts() -> None:
    facts = facts_of("type X = int  # migrate-scan: ignore[AP1] why\n")

    assert facts.parser == "libcst"
    assert decode_result(encode_result(facts)) == facts


def test_encode_decode_round_trip_of_a_skip() -> None:
    skipped = FileSkipped("a/b.py", "a.b", SkipReason.SYNTAX_ERROR, "invalid syntax", 3)

    decoded = decode_result(encode_result(skipped))

    assert decoded == skipped
    assert type(decoded) is FileSkipped
    assert decoded.reason is SkipReason.SYNTAX_ERROR


TRUNCATED_SKIP = encode_result(FileSkipped("a", "", SkipReason.TIMEOUT, ""))[:-3]


@pytest.mark.parametrize("data", [b"", b"not a pickle", TRUNCATED_SKIP])
def test_decoding_damaged_bytes_raises_value_error(data: bytes) -> None:
    with pytest.raises(ValueError, match="not an encoded parse result"):
        decode_result(data)


# The shapes radon's rules treat specially: each figure must be radon's own.
RADON_SHAPES = [
    "assert a and b, 'x' if c else 'y'\n",  # nothing inside an assert counts
    "x = [i for i in y if i if not i] + [j for j in z]\n",
    "f = lambda a=(1 if b else 2): a or c\n",  # a lambda's body and defaults count for the code around it
    "@deco(1 if a else 2)\ndef f(x=3 if b else 4) -> int:\n    return x\n",  # decorators and defaults do not
    "def f():\n    def g():\n        if a:\n            pass\n    class C:\n        def m(self):\n            if b:\n"
    "                pass\n    return g\n",  # a class inside a function is no block
    "class A:\n    x = 1 if a else 2\n    def m(self):\n        if a:\n            pass\n    def n(self):\n"
    "        while b:\n            pass\n        else:\n            pass\n    class B:\n        def k(self):\n"
    "            pass\n",
    "class A:\n    if flag:\n        def m(self):\n            pass\n    else:\n"
    "        def m(self):\n            return 1\n",
    "try:\n    pass\nexcept A:\n    pass\nexcept B:\n    pass\nelse:\n    pass\nfinally:\n    pass\n",
    "try:\n    pass\nexcept* A:\n    pass\n",  # try* is not counted, its body is
    "match x:\n    case 1:\n        pass\n    case [a, b] if a and b:\n        pass\n    case _:\n        pass\n",
    "match x:\n    case _:\n        pass\n",
    "match x:\n    case {'k': v}:\n        pass\n    case y:\n        pass\n",  # a capture pattern catches all too
    "async def f():\n    async for i in a:\n        pass\n    else:\n        pass\n    async with b:\n        pass\n",
    "for i in a:\n    def g():\n        return [j for j in i if j]\n",
    "def f():\n    def g():\n        def h():\n            return a if b else c\n        return h\n    return g\n",
    "class A:\n    pass\n",
    "if a:\n    class A:\n        def m(self):\n            return a and b or c\n",
]


@pytest.mark.parametrize("source", RADON_SHAPES)
def test_complexity_figures_are_radons(source: str) -> None:
    """Why: the figures are radon's by definition (the report says so); our lean walk must count as its visitor."""
    import ast

    from radon.visitors import ComplexityVisitor, Function  # type: ignore[import-untyped]

    from migrate_scan.stages.parse.complexity import measure_complexity

    tree = ast.parse(source)
    visitor = ComplexityVisitor.from_ast(tree)
    blocks, pending = [], [*visitor.functions, *visitor.classes]
    while pending:
        block = pending.pop()
        blocks.append(block)
        pending.extend(
            [*getattr(block, "closures", ()), *getattr(block, "methods", ()), *getattr(block, "inner_classes", ())]
        )
    functions = [b.complexity for b in blocks if isinstance(b, Function)]

    ours = measure_complexity(tree)

    assert ours.total == visitor.total_complexity
    assert ours.max_function == max(functions, default=0)
    assert ours.by_line == {b.lineno: b.complexity for b in blocks}
