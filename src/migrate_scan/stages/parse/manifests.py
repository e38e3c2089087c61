"""Dependency manifests → `Manifest` (parse stage): requirements with their lines, never executing anything.

TOML files are read with `tomllib`, `setup.cfg` with `configparser`, requirement files line by line, and
`setup.py` with `ast` (only literal `install_requires` / `extras_require` lists count). A file that cannot
be read yields a `Manifest` with its `error`, never an exception.
"""

from __future__ import annotations

import ast
import configparser
import re
import tomllib
from collections.abc import Iterable
from typing import Any

from migrate_scan.model.manifests import Manifest, Requirement, manifest_kind

NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
DEV_WORDS = ("dev", "test", "lint", "doc", "typing", "type")


def normalise(name: str) -> str:
    """PEP 503 name: lower case, runs of `-_.` as one `-`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_manifest(path: str, data: bytes, content_hash: str) -> Manifest:
    """Read one manifest. Never raises: an unreadable file becomes a `Manifest` with an `error`."""
    kind = manifest_kind(path)
    if kind is None:
        return Manifest(path, "requirements", content_hash, error="not a manifest")
    try:
        text = data.decode("utf-8-sig")
        requirements = _READERS[kind](text, path)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, configparser.Error, SyntaxError, ValueError) as error:
        return Manifest(path, kind, content_hash, error=f"{type(error).__name__}: {error}"[:200])
    unique = {(r.name, r.group): r for r in sorted(requirements, key=lambda r: (r.line, r.name))}
    return Manifest(path, kind, content_hash, tuple(sorted(unique.values(), key=lambda r: (r.line, r.name))))


def _requirement(spec: str, text: str, group: str, line: int | None = None) -> Requirement | None:
    match = NAME.match(spec)
    if match is None:
        return None
    return Requirement(normalise(match.group(1)), spec.strip(), line or _line_of(text, match.group(1)), group)


def _line_of(text: str, name: str) -> int:
    """The first line that declares `name`: as a quoted string (TOML), else at the start of a line; else 1."""
    follows = r"""(?=[\s"'\[<>=!~;,@]|$)"""
    for prefix in (r"""["']""", r"^\s*"):
        match = re.search(prefix + re.escape(name) + follows, text, re.IGNORECASE | re.MULTILINE)
        if match is not None:
            return text.count("\n", 0, match.start()) + 1
    return 1


def _from_list(specs: Iterable[Any], text: str, group: str) -> list[Requirement]:
    found = []
    for spec in specs:
        if isinstance(spec, str) and (requirement := _requirement(spec, text, group)) is not None:
            found.append(requirement)
    return found


def _pyproject(text: str, path: str) -> list[Requirement]:
    data = tomllib.loads(text)
    project = data.get("project", {})
    found = _from_list(project.get("dependencies", []), text, "main")
    for extra, specs in sorted(project.get("optional-dependencies", {}).items()):
        found += _from_list(specs, text, f"extra:{extra}")
    for group, specs in sorted(data.get("dependency-groups", {}).items()):
        found += _from_list(specs, text, f"group:{group}")
    poetry = data.get("tool", {}).get("poetry", {})
    for name in sorted(poetry.get("dependencies", {})):
        if name.lower() != "python":
            found += [r for r in [_requirement(name, text, "main")] if r]
    for group, table in sorted(poetry.get("group", {}).items()):
        for name in sorted(table.get("dependencies", {})):
            found += [r for r in [_requirement(name, text, f"group:{group}")] if r]
    return found


def _requirements(text: str, path: str) -> list[Requirement]:
    name = path.rpartition("/")[2].lower()
    group = "dev" if any(word in name for word in DEV_WORDS) else "main"
    found = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        if (requirement := _requirement(line, text, group, number)) is not None:
            found.append(requirement)
    return found


def _setup_cfg(text: str, path: str) -> list[Requirement]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    found = []
    if parser.has_option("options", "install_requires"):
        found += _from_list(parser.get("options", "install_requires").splitlines(), text, "main")
    if parser.has_section("options.extras_require"):
        for extra, value in sorted(parser.items("options.extras_require")):
            found += _from_list(value.splitlines(), text, f"extra:{extra}")
    return found


def _setup_py(text: str, path: str) -> list[Requirement]:
    found = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.keyword) or node.arg not in ("install_requires", "extras_require"):
            continue
        if node.arg == "install_requires" and isinstance(node.value, ast.List | ast.Tuple):
            for item in node.value.elts:
                if isinstance(item, ast.Constant) and isinstance(item.value, str):
                    found += [r for r in [_requirement(item.value, text, "main", item.lineno)] if r]
        elif node.arg == "extras_require" and isinstance(node.value, ast.Dict):
            for key, value in zip(node.value.keys, node.value.values, strict=True):
                extra = str(key.value) if isinstance(key, ast.Constant) else "?"
                for item in value.elts if isinstance(value, ast.List | ast.Tuple) else []:
                    if isinstance(item, ast.Constant) and isinstance(item.value, str):
                        found += [r for r in [_requirement(item.value, text, f"extra:{extra}", item.lineno)] if r]
    return found


def _pipfile(text: str, path: str) -> list[Requirement]:
    data = tomllib.loads(text)
    found = []
    for section, group in (("packages", "main"), ("dev-packages", "dev")):
        for name in sorted(data.get(section, {})):
            found += [r for r in [_requirement(name, text, group)] if r]
    return found


def _lock(text: str, path: str) -> list[Requirement]:
    data = tomllib.loads(text)
    lines = _name_lines(text)
    found = []
    for package in data.get("package", []):
        name = package.get("name")
        if isinstance(name, str):
            line = lines.get(name, 1)
            found.append(Requirement(normalise(name), f"{name}=={package.get('version', '')}", line, "lock"))
    return found


_NAME_LINE = re.compile(r'^name = "([^"\n]*)"', re.MULTILINE)


def _name_lines(text: str) -> dict[str, int]:
    """The line of the first `name = "..."` line of each name in a lock file (one pass over the text)."""
    lines: dict[str, int] = {}
    line, position = 1, 0
    for match in _NAME_LINE.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        lines.setdefault(match.group(1), line)
    return lines


_READERS = {
    "pyproject": _pyproject,
    "requirements": _requirements,
    "setup-cfg": _setup_cfg,
    "setup-py": _setup_py,
    "pipfile": _pipfile,
    "poetry-lock": _lock,
    "uv-lock": _lock,
}
