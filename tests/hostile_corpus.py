"""A hostile corpus: the things real trees hold, written deterministically with the standard library only.

`write_corpus(root)` writes every entry under `root` and returns them, each with the outcome
the scan must report for it:

- `analyzed`: listed in `modules` under its escaped path (`model.ids.escape_name`);
- `skipped:<reason>`: listed in `files.skipped` with that reason;
- `excluded`: below a folder (or itself a file) listed in `files.excluded`;
- `ignored`: not Python source (a notebook, a `.PY`), listed nowhere, on purpose.

Entries the platform cannot make (a FIFO, a name that is not UTF-8 on a file system
that refuses it) are left out of the returned list, and a file made unreadable is
expected to be analyzed when the tests run as root (root reads it anyway).
Tripwires write `TRIPWIRE_MARKER` next to themselves if they are ever imported or run.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TRIPWIRE_MARKER = "TRIPWIRE-FIRED"
"""The file a tripwire module writes if anything imports or runs it: the scan must never create it."""

_TRIPWIRE = (
    "import os\n"
    "import pathlib\n\n"
    f"pathlib.Path(__file__).with_name({TRIPWIRE_MARKER!r}).write_text('imported')\n"
    "os.system('touch ' + os.path.join(os.path.dirname(__file__), 'SHELL-RAN'))\n\n\n"
    "def handler():\n    return 1\n\n\n"
    "if __name__ == '__main__':\n"
    f"    pathlib.Path(__file__).with_name({TRIPWIRE_MARKER!r}).write_text('run')\n"
)


@dataclass(frozen=True)
class Entry:
    """One corpus entry: its path as reports spell it, the expected outcome, and why it is here."""

    path: str
    outcome: str
    why: str


def _generated_module(functions: int) -> str:
    return "".join(
        f"def handler_{i}(request, item_id={i}):\n    return render(request, 'x.html', {{'id': item_id + {i}}})\n\n\n"
        for i in range(functions)
    )


def write_corpus(root: Path, *, max_file_bytes: int = 2 * 1024 * 1024) -> list[Entry]:
    """Write the corpus under `root` (which must not exist) and return its entries in path order."""
    root.mkdir(parents=True)
    entries: list[Entry] = []
    raw_root = os.fsencode(root)

    def put(name: bytes | str, content: bytes | str, outcome: str, why: str, escaped: str | None = None) -> None:
        relative = name if isinstance(name, bytes) else name.encode()
        target = os.path.join(raw_root, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(content if isinstance(content, bytes) else content.encode("utf-8"))
        entries.append(Entry(escaped if escaped is not None else relative.decode("utf-8"), outcome, why))

    def attempt(make: Callable[[], None]) -> bool:
        try:
            make()
        except (OSError, NotImplementedError):
            return False
        return True

    put("app/__init__.py", "from flask import Flask\n\napp = Flask(__name__)\n", "analyzed", "a Flask app")
    put(
        "app/views.py",
        "from . import app\n\n\n@app.route('/items')\ndef items():\n    return 'x'\n",
        "analyzed",
        "a route, so recognizers have work",
    )
    put("app/empty.py", "", "analyzed", "an empty file")
    put("app/comments_only.py", "# nothing but a comment\n", "analyzed", "comments only")
    put("app/crlf.py", b"x = 1\r\ny = 2\r\n", "analyzed", "CRLF line endings")
    put("app/cr_only.py", b"x = 1\ry = 2\r", "analyzed", "old Mac CR-only line endings")
    put("app/formfeed.py", "x = 1\n\f\ndef f():\n    return x\n", "analyzed", "a form feed between definitions")
    put("app/unicode_idents.py", "def café(naïve):\n    return naïve\n", "analyzed", "non-ASCII identifiers")
    put(
        "app/surrogates.py",
        'X = "\\udce9"\n\n\ndef f():\n    """\\ud800"""\n',
        "analyzed",
        "string literals holding lone surrogates",
    )
    put("app/long_line.py", "DATA = '" + "x" * 500_000 + "'\n", "analyzed", "one 500 kB line")
    put(
        "app/long_chain.py",
        "def total(a):\n    return " + " + ".join(["a"] * 5000) + "\n",
        "analyzed",
        "a 5,000-term chain (deep left-leaning tree)",
    )
    put(
        "app/deep_ifs.py",
        "".join("    " * i + f"if x{i}:\n" for i in range(90)) + "    " * 90 + "pass\n",
        "analyzed",
        "90 nested blocks (parses; would not compile)",
    )
    put("app/generated.py", _generated_module(3000), "analyzed", "a large generated module under the size cap")
    put(
        "app/newer_syntax.py",
        "type Alias = list[int]\n\n\ndef first[T](items: list[T]) -> T:\n    return items[0]\n",
        "analyzed",
        "Python 3.12 syntax, read through libcst",
    )
    put(
        "app/latin1_cookie.py",
        "# -*- coding: latin-1 -*-\nNAME = 'café'\n".encode("latin-1"),
        "analyzed",
        "latin-1 with its coding cookie",
    )
    put(
        "app/shift_jis.py",
        "# coding: shift_jis\nNAME = '名前'\n".encode("shift_jis"),
        "analyzed",
        "Shift-JIS with its coding cookie",
    )
    put("app/bom.py", b"\xef\xbb\xbfx = 1\n", "analyzed", "a UTF-8 byte-order mark")
    put("app/tripwire.py", _TRIPWIRE, "analyzed", "writes a file if imported or run")
    put("setup.py", _TRIPWIRE, "analyzed", "a setup.py that writes a file if run")
    put("conftest.py", _TRIPWIRE, "analyzed", "a conftest.py that writes a file if imported")
    put(
        "app/exec_literal.py",
        "exec('import os; os.system(\"touch EXEC-RAN\")')\n",
        "analyzed",
        "exec of a literal: read statically, never run",
    )

    put("app/python2.py", "print 'hello'\n", "analyzed", "Python 2, rewritten line for line")
    put(
        "bad/python2.py",
        "def pair((a, b)):\n    print a\n",
        "skipped:syntax-error",
        "Python 2 whose rewrite would move lines (tuple parameters)",
    )
    put("bad/syntax.py", "def f(:\n", "skipped:syntax-error", "a syntax error")
    put("bad/nul_bytes.py", b"x = 1\x00\n", "skipped:syntax-error", "a NUL byte")
    put("bad/binary.py", bytes(range(256)) * 4, "skipped:syntax-error", "binary content named .py (a NUL byte)")
    put("bad/png.py", b"\x89PNG\r\n\x1a\n" + bytes(200), "skipped:syntax-error", "an image named .py (NUL bytes)")
    put("bad/invalid_utf8.py", b"NAME = '\xff\xfe'\n", "skipped:undecodable", "bytes that are not UTF-8, no cookie")
    put(
        "bad/wrong_cookie.py",
        "# coding: ascii\nNAME = 'café'\n",
        "skipped:undecodable",
        "a cookie that lies about the encoding",
    )
    put("bad/unknown_cookie.py", "# coding: klingon\nx = 1\n", "skipped:undecodable", "an unknown encoding")
    put(
        "bad/deep_brackets.py",
        "x = " + "(" * 100_000 + ")" * 100_000 + "\n",
        "skipped:syntax-error",
        "100,000 nested brackets",
    )
    put(
        "bad/huge.py",
        "# generated\n" + "x = 1\n" * (max_file_bytes // 6 + 1),
        "skipped:too-large",
        "a generated module over the size cap",
    )

    put(b"names/caf\xe9.py", "def cafe():\n    return 1\n", "analyzed", "a latin-1 file name", "names/caf\\xe9.py")
    put(b"names/new\nline.py", "x = 1\n", "analyzed", "a newline in the name", "names/new\\nline.py")
    put(b"names/tab\there.py", "x = 1\n", "analyzed", "a tab in the name", "names/tab\\there.py")
    put(b"names/bell\x07.py", "x = 1\n", "analyzed", "a control character in the name", "names/bell\\x07.py")
    put("names/-rf.py", "x = 1\n", "analyzed", "a leading dash")
    put("names/$(touch pwned).py", "x = 1\n", "analyzed", "shell syntax in the name")
    put("names/space name.py", "x = 1\n", "analyzed", "a space in the name")
    put("names/\u202eyp.py", "x = 1\n", "analyzed", "a right-to-left override", "names/\\u202eyp.py")
    put("names/back\\slash.py", "x = 1\n", "analyzed", "a backslash", "names/back\\\\slash.py")
    put("names/名前.py", "x = 1\n", "analyzed", "a CJK name")
    put("names/__init__.py", "", "analyzed", "makes names/ a package")

    put("dupes/a.py", "x = 1\n", "analyzed", "module dupes.a ...")
    put("dupes/a/__init__.py", "y = 2\n", "analyzed", "... and the package of the same name")

    put("node_modules/pkg/build.py", "x = 1\n", "excluded", "inside node_modules/")
    put("env/pyvenv.cfg", "home = /usr/bin\n", "excluded", "marks env/ as a virtualenv")
    put("env/lib/site.py", "x = 1\n", "excluded", "inside a virtualenv")
    put(".gitignore", "generated_*.py\n", "ignored", "ignores generated_*.py")
    put("generated_pb2.py", "x = 1\n", "excluded", "ignored by .gitignore")
    put("notebook.ipynb", '{"cells": [], "nbformat": 4}\n', "ignored", "a notebook: not Python source")
    put("SHOUT.PY", "x = 1\n", "ignored", "an upper-case suffix: not a .py file")

    os.makedirs(root / "folder.py" / "inner")
    entries.append(Entry("folder.py", "skipped:not-a-file", "a folder named like a Python file"))
    os.makedirs(root / "links")
    if attempt(lambda: os.symlink("..", root / "links" / "loop")):
        entries.append(Entry("links/loop", "ignored", "a symlink loop back to the root"))
    if attempt(lambda: os.symlink("/etc/hostname", root / "links" / "outside.py")):
        entries.append(Entry("links/outside.py", "skipped:outside-root", "a symlink out of the tree"))
    if attempt(lambda: os.symlink("nowhere.py", root / "links" / "broken.py")):
        entries.append(Entry("links/broken.py", "skipped:unreadable", "a broken symlink"))
    if attempt(lambda: os.mkfifo(root / "links" / "fifo.py")):
        entries.append(Entry("links/fifo.py", "skipped:not-a-file", "a FIFO: opening it would block"))

    put(
        "locked/secret.py",
        "x = 1\n",
        "analyzed" if os.geteuid() == 0 else "skipped:unreadable",
        "a file nobody may read (root reads it anyway)",
    )
    os.chmod(root / "locked" / "secret.py", 0)
    put("closed/inner.py", "x = 1\n", "analyzed", "in a folder nobody may list (root lists it anyway)")
    os.chmod(root / "closed", stat.S_IWUSR)
    if os.geteuid() != 0:
        entries[-1] = Entry("closed", "skipped:unreadable", "a folder nobody may list")
    return sorted(entries, key=lambda e: e.path)


def restore_permissions(root: Path) -> None:
    """Make the corpus removable again (pytest's tmp_path clean-up needs to list and read it)."""
    os.chmod(root / "closed", stat.S_IRWXU)
    os.chmod(root / "locked" / "secret.py", stat.S_IRUSR | stat.S_IWUSR)
