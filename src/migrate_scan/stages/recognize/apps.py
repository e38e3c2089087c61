"""Django applications: which app label a module's models carry (`Model._meta.app_label`).

The label is the one the applications product gives the package holding the
`models` module (an `AppConfig` that sets `label`), or the installed app that contains
that package (`dojo.finding.models` in the app `dojo`), else that package's last
segment. The models recognizer and the partial evaluator (`Model._meta.app_label`)
share this one definition.
"""

from __future__ import annotations


def app_label_of(module: str, labels: dict[str, str]) -> str:
    """The Django app a model module belongs to: the installed app whose package is the longest prefix of the
    module (Django's `get_containing_app_config`: `dojo.finding.models` of the app `dojo` is `dojo`'s), else
    the package holding `models` (or the module's package)."""
    parts = module.split(".")
    package = ".".join(parts[: parts.index("models")]) if "models" in parts[1:] else ".".join(parts[:-1])
    package = package or parts[0]
    if package not in labels:
        for end in range(package.count("."), 0, -1):
            containing = ".".join(parts[:end])
            if containing in labels:
                return labels[containing]
    return labels.get(package, package.rsplit(".", 1)[-1])
