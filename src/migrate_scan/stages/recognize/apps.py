"""Django applications: which app label a module's models carry (`Model._meta.app_label`).

The label is the one the applications product gives the package holding the
`models` module (an `AppConfig` that sets `label`), else that package's last
segment. The models recognizer and the partial evaluator (`Model._meta.app_label`)
share this one definition.
"""

from __future__ import annotations


def app_label_of(module: str, labels: dict[str, str]) -> str:
    """The Django app a model module belongs to: the package holding `models` (or the module's package)."""
    parts = module.split(".")
    package = ".".join(parts[: parts.index("models")]) if "models" in parts[1:] else ".".join(parts[:-1])
    package = package or parts[0]
    return labels.get(package, package.rsplit(".", 1)[-1])
