"""Dispositions: what becomes of the app shell's modules and of test code, which get no pattern.

Input: a module's facts, its app-shell role as the cluster stage published it (`ShellModule`), and the
disposition rules (`DS1xx` in `heuristics/patterns.toml`). Output: a `Disposition` with its rule, compute,
evidence locations and a sentence. Every module of the app shell gets one; none is left without a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

from migrate_scan.heuristics.loader import Heuristics
from migrate_scan.model.analysis import ShellModule
from migrate_scan.model.facts import ExprKind, FileFacts, dotted_name
from migrate_scan.model.ids import Location

ROLE_RULES = {
    "wsgi": "DS101",
    "app-factory": "DS101",
    "entry-script": "DS101",
    "asgi": "DS102",
    "settings": "DS103",
    "urlconf": "DS104",
    "celery-app": "DS105",
    "celery-worker": "DS105",
    "command-line": "DS107",
}
"""App-shell role (from the cluster stage) → disposition rule. `shell-import` depends on the module (below)."""
CONFIGURATION_NAMES = frozenset({"config", "configs", "conf", "configuration", "settings", "constants"})
"""A module only the shell imports is configuration when named like this, else it stays with the host."""
MAX_SECRETS_SHOWN = 5


@dataclass(frozen=True)
class Disposition:
    """A module's disposition with its rule, compute, evidence and the sentence the report shows."""

    value: str
    rule: str
    compute: str | None
    locations: tuple[Location, ...]
    note: str


def disposition_of(
    facts: FileFacts, shell: ShellModule | None, *, is_test: bool, heuristics: Heuristics
) -> Disposition:
    """The disposition of a test module or of an app-shell module (`shell` is its published role)."""
    first_line = Location(file=facts.path, line=1)
    if is_test:
        rule = heuristics.disposition("DS106")
        return Disposition(rule.disposition, rule.id, rule.compute, (first_line,), "Test code: not deployed.")
    role = shell.role if shell is not None else "shell-import"
    where = shell.location if shell is not None else first_line
    rule_id = ROLE_RULES.get(role)
    if rule_id is None:
        is_config = facts.module.rpartition(".")[2] in CONFIGURATION_NAMES
        rule_id = "DS103" if is_config else "DS107"
    rule = heuristics.disposition(rule_id)
    locations: tuple[Location, ...] = (where,)
    note = rule.summary
    if rule.disposition == "configuration":
        settings, secrets = environment_reads(facts, rule.words)
        locations += tuple(loc for _, loc in secrets[:MAX_SECRETS_SHOWN])
        note = _configuration_note(settings, secrets)
    return Disposition(rule.disposition, rule.id, rule.compute, _sorted(locations), note)


def environment_reads(
    facts: FileFacts, secret_words: list[str]
) -> tuple[list[tuple[str, Location]], list[tuple[str, Location]]]:
    """Names read from the environment (`os.getenv("X")`, `env("X")`, `get_int_from_env("X")`...): (plain, secrets).

    A call whose function name mentions `env` with a constant upper-case first argument is an environment
    read; a name holding one of the secret words is a secret.
    """
    plain: dict[str, Location] = {}
    secrets: dict[str, Location] = {}
    for call in facts.calls:
        kind, _, children, _ = call.call
        if kind != ExprKind.CALL or len(children) < 2:
            continue
        function = dotted_name(children[0]) or ""
        argument = children[1]
        if "env" not in function.rpartition(".")[2].lower() and not function.endswith("environ.get"):
            continue
        if argument[0] != ExprKind.CONSTANT or not isinstance(argument[1], str) or not argument[1].isupper():
            continue
        name = argument[1]
        target = secrets if any(word in name.lower() for word in secret_words) else plain
        target.setdefault(name, Location(file=facts.path, line=call.line))
    return sorted(plain.items()), sorted(secrets.items(), key=lambda item: (item[1].line, item[0]))


def _configuration_note(settings: list[tuple[str, Location]], secrets: list[tuple[str, Location]]) -> str:
    if not settings and not secrets:
        return "Configuration: its values become Lambda environment variables or SSM Parameter Store parameters."
    text = (
        f"Configuration: {len(settings)} value(s) read from the environment become Lambda environment "
        "variables or SSM Parameter Store parameters"
    )
    if secrets:
        names = ", ".join(name for name, _ in secrets[:MAX_SECRETS_SHOWN])
        more = f" and {len(secrets) - MAX_SECRETS_SHOWN} more" if len(secrets) > MAX_SECRETS_SHOWN else ""
        text += f"; {len(secrets)} secret(s) ({names}{more}) come from Secrets Manager"
    return text + "."


def _sorted(locations: tuple[Location, ...]) -> tuple[Location, ...]:
    return tuple(sorted(set(locations), key=lambda loc: (loc.file, loc.line)))
