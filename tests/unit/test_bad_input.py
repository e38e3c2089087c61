"""Broken, odd and newer-than-the-interpreter input: skipped with the right reason, or analyzed.

Also a whole scan over a tree holding all of them: it finishes and accounts
for every Python file.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from migrate_scan import pipeline
from migrate_scan.model.facts import (
    ExprKind,
    FileFacts,
    FileSkipped,
    SkipReason,
    dotted_name,
)
from migrate_scan.stages.discover import DEFAULT_EXCLUDES
from migrate_scan.stages.parse import ParseRequest, parse_file
from migrate_scan.workers import ParsePool

SYNTAX_ERROR = b"x = 1\ny = (\ndef f(:\n"
PYTHON2 = b"import os\nprint 'hello'\n\n\ndef f((a, b)):\n    pass\n"  # tuple parameters: not rewritten
NUL_BYTES = b"x = 1\x00\n"
WRONG_COOKIE = b"# -*- coding: klingon -*-\nx = 1\n"
UNDECODABLE = b"x = 1\ns = '\xff\xfe'\n"
LATIN1 = "# -*- coding: latin-1 -*-\ns = 'café'\n".encode("latin-1")
SHIFT_JIS = "# -*- coding: shift_jis -*-\ns = '日本語'\ndef f():\n    return g()\n".encode("shift_jis")
BOM = b"\xef\xbb\xbfx = 1\ndef f():\n    pass\n"
DEEP_NESTING = b"x = " + b"(" * 1000 + b")" * 1000 + b"\n"
LONG_CHAIN = b"x = " + b" + ".join([b"a"] * 10_000) + b"\n"


def parse(source: bytes, path: str = "m.py", module: str = "m"):
    return parse_file(ParseRequest(path=path, module=module, is_package=False, source=source))


@pytest.mark.parametrize(
    ("source", "reason", "line", "message_part"),
    [
        pytest.param(SYNTAX_ERROR, SkipReason.SYNTAX_ERROR, 3, "invalid syntax", id="syntax-error"),
        pytest.param(PYTHON2, SkipReason.SYNTAX_ERROR, 2, "(looks like Python 2)", id="python2-print"),
        pytest.param(
            b"exec 'x = 1'\ndef f((a, b)):\n    return a\n",
            SkipReason.SYNTAX_ERROR,
            1,
            "(looks like Python 2)",
            id="python2-exec",
        ),
        pytest.param(NUL_BYTES, SkipReason.SYNTAX_ERROR, None, "null bytes", id="nul-bytes"),
        pytest.param(WRONG_COOKIE, SkipReason.UNDECODABLE, None, "unknown encoding: klingon", id="wrong-cookie"),
        pytest.param(UNDECODABLE, SkipReason.UNDECODABLE, 2, "can't decode byte 0xff", id="undecodable"),
        pytest.param(DEEP_NESTING, SkipReason.SYNTAX_ERROR, 1, "too many nested", id="deep-nesting"),
        pytest.param(
            b"if 1:\n        x = 1\n\t\ty = 2\n", SkipReason.SYNTAX_ERROR, 3, "inconsistent use of tabs", id="tabs"
        ),
    ],
)
def test_bad_file_is_skipped_with_reason_and_line(
    source: bytes, reason: SkipReason, line: int | None, message_part: str
) -> None:
    result = parse(source, path="pkg/bad.py", module="pkg.bad")

    assert isinstance(result, FileSkipped)
    assert (result.path, result.module, result.reason, result.line) == ("pkg/bad.py", "pkg.bad", reason, line)
    assert message_part in result.message
    assert "\n" not in result.message


def test_python2_message_says_so() -> None:
    result = parse(PYTHON2)

    assert result == FileSkipped(
        "m.py",
        "m",
        SkipReason.SYNTAX_ERROR,
        "Missing parentheses in call to 'print'. Did you mean print(...)? (looks like Python 2)",
        2,
    )


PYTHON2_MODULE = b"""# -*- coding: utf-8 -*-
import urllib2
from StringIO import StringIO


class Report(object):
    def render(self, rows):
        out = StringIO()
        for key, value in rows.iteritems():
            print >>out, key, `value`
        if len(rows) <> 0L:
            print "rows:", len(rows)
        return out.getvalue()


def fetch(url):
\ttry:
\t\treturn urllib2.urlopen(url, timeout=0777).read()
        except urllib2.URLError, error:
\t\traise RuntimeError, ur"failed: %s" % error
"""


def test_a_python2_module_is_read_line_for_line() -> None:
    facts = parse(PYTHON2_MODULE)

    assert isinstance(facts, FileFacts)
    assert facts.parser == "python2"
    assert [(d.qualname, d.line) for d in facts.definitions] == [("Report", 6), ("Report.render", 7), ("fetch", 16)]
    calls = {(c.line, dotted_name(c.call[2][0])) for c in facts.calls}
    # the old names are read as their Python 3 modules and methods, on their own lines
    assert {
        (8, "StringIO"),
        (9, "rows.items"),
        (12, "print"),
        (18, "urllib2.urlopen"),
        (20, "RuntimeError"),
    } <= calls
    assert [(i.line, i.module, i.name) for i in facts.imports] == [(2, "urllib2", None), (3, "io", "StringIO")]
    assert facts.metrics.loc == 20


@pytest.mark.parametrize(
    "source",
    [
        b'def check(x):\n    if x <> 1:\n        raise ValueError, "bad"\n',
        b"try:\n    pass\nexcept ValueError, error:\n    print error\n",
        b"x = `1`\n",
        b"f = lambda (row): row.id\n",
        b"def send(data, async=False):\n    print 'async', async\n",
    ],
    ids=["raise-and-ne", "except-comma", "backticks", "lambda-tuple-parameter", "async-as-a-name"],
)
def test_python2_that_python3_calls_invalid_syntax_is_read_too(source: bytes) -> None:
    facts = parse(source)

    assert isinstance(facts, FileFacts)
    assert facts.parser == "python2"


def test_a_python2_statement_joined_onto_one_line_keeps_the_lines_after_it() -> None:
    source = (
        b'def check(x):\n    if x:\n        raise ValueError, \\\n            "bad"\n    print x\n\n\n'
        b"def after():\n    go()\n"
    )

    facts = parse(source)

    assert isinstance(facts, FileFacts) and facts.parser == "python2"
    assert [(d.qualname, d.line) for d in facts.definitions] == [("check", 1), ("after", 8)]
    assert {(c.line, dotted_name(c.call[2][0])) for c in facts.calls} == {(3, "ValueError"), (5, "print"), (9, "go")}


def test_lines_a_rewrite_drops_or_joins_stay_blank_lines() -> None:
    from migrate_scan.stages.parse.python2 import _on_the_same_lines

    text = "a = 1\nraise E, \\\n    'm'\nb = 2\ngone()\nc = 3"
    rewritten = "a = 1\nraise E('m')\nb = 2\nc = 3"
    assert _on_the_same_lines(text, rewritten) == "a = 1\nraise E('m')\n\nb = 2\n\nc = 3"
    assert _on_the_same_lines("a = 1", "a = 1\nextra = 2") is None  # a rewrite that adds a line


def test_async_used_as_a_name_in_python2_is_renamed_but_not_in_strings() -> None:
    facts = parse(b"def send(data, async=False):\n    return post('/async', data, async)\n\nprint 'x'\n")

    assert isinstance(facts, FileFacts) and facts.parser == "python2"
    [call] = [c for c in facts.calls if dotted_name(c.call[2][0]) == "post"]
    assert call.line == 2
    assert call.call[2][1] == (ExprKind.CONSTANT, "/async", (), ())
    assert call.call[2][3] == (ExprKind.NAME, "async_", (), ())


def test_python2_in_the_report_is_named_as_such(tmp_path: Path, scan_options) -> None:
    (tmp_path / "legacy.py").write_bytes(PYTHON2_MODULE)
    (tmp_path / "new.py").write_text("def f():\n    return 1\n")

    report = pipeline.run(scan_options(tmp_path))

    assert {m.file: m.parser for m in report.modules} == {"legacy.py": "python2", "new.py": "ast"}
    assert report.files.skipped == []


def test_latin1_with_cookie_is_analyzed() -> None:
    facts = parse(LATIN1)

    assert isinstance(facts, FileFacts)
    assert [(a.line, a.value) for a in facts.assignments] == [(2, (ExprKind.CONSTANT, "café", (), ()))]
    assert (facts.metrics.loc, facts.metrics.comments) == (2, 1)


def test_shift_jis_with_cookie_is_analyzed() -> None:
    facts = parse(SHIFT_JIS)

    assert isinstance(facts, FileFacts)
    assert [(a.line, a.value) for a in facts.assignments] == [(2, (ExprKind.CONSTANT, "日本語", (), ()))]
    assert [(c.line, c.scope, dotted_name(c.call[2][0])) for c in facts.calls] == [(4, "f", "g")]


def test_utf8_bom_is_analyzed() -> None:
    facts = parse(BOM)

    assert isinstance(facts, FileFacts)
    assert [(a.line, a.targets) for a in facts.assignments] == [(1, ((ExprKind.NAME, "x", (), ()),))]
    assert [(d.qualname, d.line) for d in facts.definitions] == [("f", 2)]
    assert facts.metrics.loc == 3


def test_empty_file_is_analyzed_with_zero_lines() -> None:
    facts = parse(b"")

    assert isinstance(facts, FileFacts)
    assert facts.metrics.loc == facts.metrics.sloc == facts.metrics.blank == facts.metrics.comments == 0
    assert (facts.imports, facts.definitions, facts.calls, facts.assignments, facts.docstring) == ((), (), (), (), None)


def test_long_addition_chain_is_analyzed_in_the_worker_pool() -> None:
    # In-process the default recursion limit may turn this into parser-crash; the pool's big-stack
    # thread with a raised recursion limit parses it.
    requests = [
        ParseRequest("chain.py", "chain", False, LONG_CHAIN),
        ParseRequest("after.py", "after", False, b"y = 2\n"),
    ]

    chain, after = ParsePool(jobs=1, time_limit=60).parse_all(requests)

    assert isinstance(chain, FileFacts), chain
    (assignment,) = chain.assignments
    assert (assignment.line, assignment.targets, assignment.value[:2]) == (
        1,
        ((ExprKind.NAME, "x", (), ()),),
        (ExprKind.BINARY, "Add"),
    )
    assert isinstance(after, FileFacts)


def test_long_addition_chain_in_process_never_raises() -> None:
    result = parse(LONG_CHAIN)

    assert isinstance(result, FileFacts) or result.reason is SkipReason.PARSER_CRASH


# -- syntax newer than the interpreter: the libcst fallback ------------------------------------

NEWER_AND_EQUIVALENT = [
    pytest.param(
        """\
        import os
        type X = int
        type Pair[T] = tuple[T, T]
        value = make(X)
        """,
        """\
        import os
        X = int
        Pair = tuple[T, T]
        value = make(X)
        """,
        id="pep695-type-alias",
    ),
    pytest.param(
        """\
        def first[T](items: list[T]) -> T:
            return pick(items)

        class Box[T](Base, metaclass=Meta):
            def get(self) -> T:
                return load(self)
        """,
        """\
        def first(items: list[T]) -> T:
            return pick(items)

        class Box(Base, metaclass=Meta):
            def get(self) -> T:
                return load(self)
        """,
        id="pep695-generics",
    ),
    pytest.param(
        """\
        type Alias = int
        msg = f"{", ".join(names(a))} and {d["k"]}"
        multi = f\"\"\"
        {
            call_one()
        } and {call_two()}
        \"\"\"
        after()
        """,
        """\
        Alias = int
        msg = f"{', '.join(names(a))} and {d['k']}"
        multi = f\"\"\"
        {
            call_one()
        } and {call_two()}
        \"\"\"
        after()
        """,
        id="pep701-fstring-quotes-and-lines",
    ),
    pytest.param(
        """\
        type Alias = int
        label = (
            "prefix "
            f"{first()} "
            f"{second()}"
        )
        tail = f"{third()}" "done"
        last()
        """,
        """\
        Alias = int
        label = (
            "prefix "
            f"{first()} "
            f"{second()}"
        )
        tail = f"{third()}" "done"
        last()
        """,
        id="implicit-concatenation",
    ),
    pytest.param(
        """\
        try:
            risky()
        except ValueError, TypeError:
            handle()
        done()
        """,
        """\
        try:
            risky()
        except (ValueError, TypeError):
            handle()
        done()
        """,
        id="pep758-except-without-brackets",
    ),
]


@pytest.mark.parametrize(("newer", "equivalent"), NEWER_AND_EQUIVALENT)
def test_newer_syntax_gives_the_facts_of_its_311_equivalent(newer: str, equivalent: str) -> None:
    new = parse(textwrap.dedent(newer).encode())
    old = parse(textwrap.dedent(equivalent).encode())

    assert isinstance(new, FileFacts), new
    assert isinstance(old, FileFacts), old
    assert (new.parser, old.parser) == ("libcst", "ast")
    assert new.imports == old.imports
    assert new.definitions == old.definitions
    assert new.loops == old.loops
    assert new.metrics == old.metrics

    def calls(facts: FileFacts) -> list[tuple[int, str, str | None]]:
        return [(c.line, c.scope, dotted_name(c.call[2][0])) for c in facts.calls]

    def assignments(facts: FileFacts) -> list[tuple[int, str, object]]:
        return [(a.line, a.scope, a.targets) for a in facts.assignments]

    def returns(facts: FileFacts) -> list[tuple[int, str]]:
        return [(r.line, r.scope) for r in facts.returns]

    assert calls(new) == calls(old)
    assert assignments(new) == assignments(old)
    assert returns(new) == returns(old)


def test_newer_syntax_facts_in_detail() -> None:
    source = textwrap.dedent(
        """\
        type Alias = int
        multi = f\"\"\"
        {
            call_one()
        } and {call_two()}
        \"\"\"
        after()
        """
    ).encode()

    facts = parse(source)

    assert isinstance(facts, FileFacts)
    assert sorted((c.line, dotted_name(c.call[2][0])) for c in facts.calls) == [
        (4, "call_one"),
        (5, "call_two"),
        (7, "after"),
    ]
    assert [(a.line, dotted_name(a.targets[0])) for a in facts.assignments] == [(1, "Alias"), (2, "multi")]


def test_invalid_in_every_version_is_a_syntax_error_not_newer_syntax() -> None:
    result = parse(b"type X = int\ndef broken(:\n")

    assert isinstance(result, FileSkipped)
    assert (result.reason, result.line) == (SkipReason.SYNTAX_ERROR, 1)


# -- a whole scan over all of it ----------------------------------------------------------------


def test_scan_of_a_tree_of_bad_files_accounts_for_every_python_file(
    tmp_path: Path, write_tree, scan_options, within
) -> None:
    root = write_tree(
        tmp_path / "messy",
        {
            "ok.py": "import flask\napp = flask.Flask(__name__)\n",
            "bad/syntax.py": SYNTAX_ERROR,
            "bad/py2.py": PYTHON2,
            "bad/nul.py": NUL_BYTES,
            "bad/cookie.py": WRONG_COOKIE,
            "bad/undecodable.py": UNDECODABLE,
            "bad/nested.py": DEEP_NESTING,
            "enc/latin1.py": LATIN1,
            "enc/sjis.py": SHIFT_JIS,
            "enc/bom.py": BOM,
            "enc/empty.py": b"",
            "chain.py": LONG_CHAIN,
            "newer.py": "type X = int\ndef f[T](x: T) -> T:\n    return x\n",
            "huge.py": b"x = 1  # padding padding padding padding padding padding padding padding\n" * 40_000,
            "dir.py/inner.py": "z = 1\n",
            "venv/ignored.py": "",  # default-excluded: not part of the scan
            "app/migrations/0001_initial.py": "",
        },
    )
    assert (root / "huge.py").stat().st_size > 2 * 1024 * 1024
    os.mkfifo(root / "fifo.py")
    os.symlink(root / "gone.py", root / "broken.py")
    os.symlink(tmp_path / "elsewhere.py", root / "outside.py")
    (tmp_path / "elsewhere.py").write_text("x = 1\n")

    report = within(lambda: pipeline.run(scan_options(root, jobs=2)), 120)

    analyzed = {m.file for m in report.modules}
    skipped = {s.path: (s.reason, s.line) for s in report.files.skipped}
    assert analyzed == {
        "ok.py",
        "enc/latin1.py",
        "enc/sjis.py",
        "enc/bom.py",
        "enc/empty.py",
        "chain.py",
        "newer.py",
        "dir.py/inner.py",
    }
    assert skipped == {
        "bad/syntax.py": ("syntax-error", 3),
        "bad/py2.py": ("syntax-error", 2),
        "bad/nul.py": ("syntax-error", None),
        "bad/cookie.py": ("undecodable", None),
        "bad/undecodable.py": ("undecodable", 2),
        "bad/nested.py": ("syntax-error", 1),
        "huge.py": ("too-large", None),
        "dir.py": ("not-a-file", None),
        "fifo.py": ("not-a-file", None),
        "broken.py": ("unreadable", None),
        "outside.py": ("outside-root", None),
    }
    assert analyzed.isdisjoint(skipped)
    assert analyzed | set(skipped) == python_paths_under(root)
    assert report.files.analyzed == len(analyzed)
    totals = report.project.totals
    assert (totals.files, totals.analyzed, totals.skipped) == (19, 8, 11)
    assert {m.file: m.parser for m in report.modules}["newer.py"] == "libcst"


def python_paths_under(root: Path) -> set[str]:
    """Every `*.py` entry (file, link, FIFO, folder) under root, outside default-excluded folders."""
    excluded = {p.strip("/") for p in DEFAULT_EXCLUDES if "*" not in p}
    found = set()
    for directory, folders, files in os.walk(root):
        folders[:] = [f for f in folders if f not in excluded and not f.startswith(".")]
        for name in [*files, *folders]:
            if name.endswith(".py"):
                found.add(os.path.relpath(os.path.join(directory, name), root).replace(os.sep, "/"))
    return found


def test_newer_syntax_in_a_file_over_the_fallback_size_is_a_syntax_error() -> None:
    source = b"type X = int\n" + b"y = 1\n" * 100

    result = parse_file(ParseRequest("big.py", "big", False, source, fallback_max_bytes=100))

    assert isinstance(result, FileSkipped)
    assert (result.reason, result.line) == (SkipReason.SYNTAX_ERROR, 1)
