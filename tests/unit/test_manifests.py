"""Dependency manifests read as data (parse), found by discovery, weighed by classify (MS307, MS312)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from snippets import facts_of

from migrate_scan.heuristics.loader import load_heuristics
from migrate_scan.model.manifests import Manifest
from migrate_scan.stages.classify import classify
from migrate_scan.stages.cluster import ClusterSettings, cluster
from migrate_scan.stages.discover import DiscoverySettings, discover
from migrate_scan.stages.link import link
from migrate_scan.stages.parse.manifests import parse_manifest
from migrate_scan.stages.recognize import recognize

PYPROJECT = """\
[project]
name = "app"
# torch is the heavy one (a comment naming it is not its line)
dependencies = [
  "Django~=5.2",
  "torch~=2.13.0",
  "scikit_learn>=1.9",
]
[project.optional-dependencies]
postgres = ["psycopg-c==3.3"]
[dependency-groups]
dev = ["pytest"]
"""


def parsed(path: str, text: str) -> Manifest:
    return parse_manifest(path, textwrap.dedent(text).encode(), "hash")


def test_pyproject_requirements_with_lines_and_groups() -> None:
    got = [(r.name, r.line, r.group) for r in parsed("pyproject.toml", PYPROJECT).requirements]
    assert got == [
        ("django", 5, "main"),
        ("torch", 6, "main"),
        ("scikit-learn", 7, "main"),
        ("psycopg-c", 10, "extra:postgres"),
        ("pytest", 12, "group:dev"),
    ]


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("requirements.txt", "# pinned\nDjango==5.2  # web\n-r base.txt\nnumpy>=2\n", [("django", 2), ("numpy", 4)]),
        (
            "setup.py",
            "from setuptools import setup\nsetup(install_requires=['flask', 'pandas>2'])\n",
            [("flask", 2), ("pandas", 2)],
        ),
        ("setup.cfg", "[options]\ninstall_requires =\n    requests\n    lxml\n", [("lxml", 4), ("requests", 3)]),
        ("Pipfile", '[packages]\nscipy = "*"\n[dev-packages]\nblack = "*"\n', [("scipy", 2), ("black", 4)]),
        ("uv.lock", 'version = 1\n\n[[package]]\nname = "torch"\nversion = "2.13.0"\n', [("torch", 4)]),
        (
            "poetry.lock",
            '[[package]]\nname = "numpy"\n\n[package.source]\n  name = "torch"\n'
            '[[package]]\nname = "torch"\n[[package]]\nname = "numpy"\n',
            [("numpy", 2), ("torch", 7)],  # each name at its first unindented line
        ),
    ],
)
def test_other_manifest_kinds(path: str, text: str, expected: list[tuple[str, int]]) -> None:
    assert sorted((r.name, r.line) for r in parsed(path, text).requirements) == sorted(expected)


def test_a_broken_manifest_is_a_result_not_an_exception() -> None:
    manifest = parse_manifest("pyproject.toml", b"[project\n", "hash")
    assert manifest.error.startswith("TOMLDecodeError") and manifest.requirements == ()
    assert parse_manifest("setup.py", b"setup(\n", "hash").error.startswith("SyntaxError")


def test_discovery_finds_manifests_with_their_hash(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("x = 1\n")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "prod.txt").write_text("numpy\n")
    (tmp_path / "notes.txt").write_text("torch\n")
    found = discover(tmp_path, DiscoverySettings()).manifests
    assert [m.path for m in found] == ["pyproject.toml", "requirements/prod.txt"]
    assert all(len(m.content_hash) == 64 for m in found)


def test_native_packages_and_the_size_estimate_are_raised_at_their_lines() -> None:
    heuristics = load_heuristics()
    graphs = link(facts_of({"app/__init__.py": "", "app/views.py": "def f():\n    return 1\n"}))
    recognition = recognize(graphs, heuristics)
    clustering = cluster(graphs, recognition, ClusterSettings())
    manifests = (parsed("pyproject.toml", PYPROJECT), parsed("requirements-dev.txt", "numpy\n"))
    warnings = classify(graphs, recognition, clustering, heuristics, manifests=manifests).warnings
    native = [w for w in warnings if w.rule == "MS307"]
    assert [(loc.file, loc.line) for w in native for loc in w.locations] == [
        ("pyproject.toml", 6),
        ("pyproject.toml", 7),
        ("pyproject.toml", 10),  # an extra is installed where the app runs (a database driver)
    ]
    assert "torch (~800 MB)" in native[0].message  # the dev file's numpy is not runtime
    [size] = [w for w in warnings if w.rule == "MS312"]
    assert (size.locations[0].file, "container images") == ("pyproject.toml", "container images")
    assert "about 878 MB" in size.message
    small = (parsed("pyproject.toml", '[project]\ndependencies = ["flask"]\n'),)
    assert not [
        w for w in classify(graphs, recognition, clustering, heuristics, manifests=small).warnings if w.rule == "MS312"
    ]
