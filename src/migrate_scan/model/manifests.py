"""Dependency manifests, read as data: what the project declares it installs.

`Manifest` is what the parse stage makes of one manifest file (`pyproject.toml`, `requirements*.txt`,
`setup.py`, `setup.cfg`, `Pipfile`, `poetry.lock`, `uv.lock`) without executing anything; the classify
stage compares its requirements with the package knowledge table (`heuristics/packages.toml`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ManifestKind = Literal["pyproject", "requirements", "setup-py", "setup-cfg", "pipfile", "poetry-lock", "uv-lock"]


@dataclass(frozen=True, slots=True)
class Requirement:
    """One declared distribution: its normalised name (PEP 503), the text as written, where, in which group."""

    name: str
    spec: str
    line: int
    group: str  # "main", or the extra / dependency group / lock section it belongs to


@dataclass(frozen=True, slots=True)
class Manifest:
    """One manifest file: its kind, requirements (sorted by line) and, if it could not be read, why."""

    path: str
    kind: ManifestKind
    content_hash: str
    requirements: tuple[Requirement, ...] = ()
    error: str = ""

    @property
    def is_lock(self) -> bool:
        """A lock file pins every transitive dependency: what is really installed, not what is asked for."""
        return self.kind in ("poetry-lock", "uv-lock")


_KINDS_BY_NAME: dict[str, ManifestKind] = {
    "pyproject.toml": "pyproject",
    "setup.py": "setup-py",
    "setup.cfg": "setup-cfg",
    "pipfile": "pipfile",
    "poetry.lock": "poetry-lock",
    "uv.lock": "uv-lock",
}


def manifest_kind(path: str) -> ManifestKind | None:
    """The kind of manifest a file name says, or None."""
    name = path.rpartition("/")[2].lower()
    kind = _KINDS_BY_NAME.get(name)
    if kind is not None:
        return kind
    if name.startswith("requirements") and name.endswith((".txt", ".in")):
        return "requirements"
    if "/requirements/" in f"/{path.lower()}" and name.endswith((".txt", ".in")):
        return "requirements"
    return None
