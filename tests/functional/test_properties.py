"""Properties (hypothesis): parsing never raises; every discovered file is accounted for; scans repeat."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate_scan import pipeline
from migrate_scan.model.facts import FileFacts, FileSkipped, decode_result, encode_result
from migrate_scan.options import ScanOptions
from migrate_scan.render import RENDERERS, RenderOptions
from migrate_scan.stages.discover import DiscoverySettings, discover
from migrate_scan.stages.parse import ParseRequest, parse_file

FAST = settings(max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
TREES = settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# Fragments that look like Python, so that random sources get past the tokenizer now and then.
# fmt: off
FRAGMENTS = [
    "def ", "class ", "f", "x", "(", ")", "[", "]", "{", "}", ":", "\n", "    ", "=", "+", ",", ".",
    "import ", "from ", " . ", "return ", "lambda", "'s'", '"""', "f'{", "}'", "#", " migrate-scan: ignore[",
    "while True", "async ", "await ", "@", "yield ", "type ", "\\", "\t", "\x00", "é", "1", "0x", "*", "**",
]
# fmt: on
python_like = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)


def check_result(result: object, path: str, module: str) -> None:
    assert isinstance(result, FileFacts | FileSkipped)
    assert (result.path, result.module) == (path, module)
    assert decode_result(encode_result(result)) == result


@FAST
@given(source=st.binary(max_size=2000), is_package=st.booleans())
def test_random_bytes_never_raise(source: bytes, is_package: bool) -> None:
    result = parse_file(ParseRequest("pkg/m.py", "pkg.m", is_package, source))

    check_result(result, "pkg/m.py", "pkg.m")


@FAST
@given(source=python_like, encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_python_like_text_never_raises(source: str, encoding: str) -> None:
    data = source.encode(encoding, errors="replace")

    result = parse_file(ParseRequest("m.py", "m", False, data))

    check_result(result, "m.py", "m")
    if isinstance(result, FileSkipped) and result.line is not None:
        assert result.line >= 1


CONTENTS = st.sampled_from(
    [
        b"",
        b"x = 1\n",
        b"import os\nfrom . import sibling\n\ndef f(a):\n    return os.path.join(a)\n",
        b"class A(Base):\n    def m(self):\n        while True:\n            pass\n",
        b"def f(:\n",  # syntax error
        b"print 'python 2'\n",
        b"s = '\xff'\n",  # undecodable
        b"x = 1\x00\n",
        b"\xef\xbb\xbfy = 2\n",
        b"type X = int\n",  # newer syntax
        "# -*- coding: latin-1 -*-\ns = 'é'\n".encode("latin-1"),
    ]
)
NAMES = st.sampled_from(["__init__.py", "a.py", "b.py", "views.py", "models.py", "x.py"])
FOLDERS = st.lists(st.sampled_from(["pkg", "sub", "src", "app", "my-dir"]), max_size=3).map("/".join)
PATHS = st.tuples(FOLDERS, NAMES).map(lambda p: f"{p[0]}/{p[1]}" if p[0] else p[1])
TREE = st.dictionaries(PATHS, CONTENTS, max_size=8)


def write(root: Path, files: dict[str, bytes]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


@TREES
@given(files=TREE)
def test_random_trees_every_file_is_accounted_for_and_scans_repeat(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "proj"
        root.mkdir()
        write(root, files)
        options = ScanOptions(root=root, jobs=1, use_cache=False, cache_dir=Path(folder) / "cache")

        discovery = discover(root, DiscoverySettings())
        first = pipeline.run(options)
        second = pipeline.run(options.model_copy(update={"jobs": 2}))

    discovered = {f.path for f in discovery.files} | {s.path for s in discovery.skipped}
    analyzed = {m.file for m in first.modules}
    skipped = {s.path for s in first.files.skipped}
    assert discovered == set(files)
    assert analyzed.isdisjoint(skipped)
    assert analyzed | skipped == discovered
    assert first.files.analyzed == len(analyzed)
    render = RENDERERS["json"]
    assert render(first, RenderOptions()) == render(second, RenderOptions())
    assert folder not in render(first, RenderOptions())
