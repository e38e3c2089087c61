"""Load, validate and digest the heuristics: bundled rule files plus the user's.

The bundled files are the top-level `heuristics/` folder of the project,
shipped inside the wheel as `migrate_scan/heuristics/rules`; in a source
checkout they are read where they are. `--heuristics DIR` adds a user's own
files. Every validation error of every file is collected and reported at once
as `file: rules[3].imports[0]: message` (exit code 2).
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TypeVar, get_args

from pydantic import ValidationError

from migrate_scan.errors import HeuristicsError
from migrate_scan.heuristics.schema import (
    ChecklistRule,
    DataAccessRule,
    DecisionRule,
    DispositionRule,
    EffortRule,
    FrameworkRule,
    MatchKind,
    MatchRule,
    PackageRule,
    Rule,
    RuleFile,
    StageRule,
    TypeRule,
    ViewBaseRule,
    WarningRule,
)

_RuleT = TypeVar("_RuleT", DecisionRule, DispositionRule, WarningRule)

_RULE_KINDS = frozenset(
    {
        "framework",
        "decision",
        "disposition",
        "package",
        "warning",
        "checklist",
        "stage",
        "effort",
        "type",
        "data-access",
        "view-base",
        *get_args(MatchKind),
    }
)


@dataclass(frozen=True)
class Heuristics:
    """All rules in force for a scan, and a digest that changes when any rule does."""

    rules: tuple[Rule, ...]
    digest: str

    @property
    def framework_rules(self) -> tuple[FrameworkRule, ...]:
        """Rules that detect frameworks from imports."""
        return tuple(r for r in self.rules if isinstance(r, FrameworkRule))

    @property
    def module_aliases(self) -> dict[str, str]:
        """Old import paths of outside modules → the modules they are today (the framework rules' aliases)."""
        return {old: new for rule in self.framework_rules for old, new in sorted(rule.module_aliases.items())}

    @property
    def type_rules(self) -> tuple[TypeRule, ...]:
        """The knowledge table of outside types (what the call graph may name methods of)."""
        return tuple(r for r in self.rules if isinstance(r, TypeRule))

    @property
    def data_access_rules(self) -> tuple[DataAccessRule, ...]:
        """The data-access recognizer's knowledge (ORM vocabularies, framework views, outside functions)."""
        return tuple(r for r in self.rules if isinstance(r, DataAccessRule))

    def view_bases(self) -> dict[str, ViewBaseRule]:
        """Qualified name of an outside view base class → its rule (the first rule wins a name)."""
        table: dict[str, ViewBaseRule] = {}
        for rule in self.rules:
            if isinstance(rule, ViewBaseRule):
                for name in rule.names:
                    table.setdefault(name, rule)
        return table

    def decision(self, rule_id: str) -> DecisionRule:
        """The decision rule with this id.

        Raises:
            HeuristicsError: no such rule (the bundled files are incomplete).
        """
        return self._one(DecisionRule, rule_id)

    def disposition(self, rule_id: str) -> DispositionRule:
        """The disposition rule with this id.

        Raises:
            HeuristicsError: no such rule (the bundled files are incomplete).
        """
        return self._one(DispositionRule, rule_id)

    def packages(self) -> dict[str, tuple[PackageRule, float]]:
        """Distribution name → (its knowledge rule, installed MB); the later rule wins a name (user files last)."""
        table: dict[str, tuple[PackageRule, float]] = {}
        for rule in self.rules:
            if isinstance(rule, PackageRule):
                for name, size in rule.sizes.items():
                    table[name] = (rule, size)
        return table

    def warning(self, rule_id: str) -> WarningRule:
        """The warning rule with this id.

        Raises:
            HeuristicsError: no such rule (the bundled files are incomplete).
        """
        return self._one(WarningRule, rule_id)

    def has_warning(self, rule_id: str) -> bool:
        """Whether a warning rule with this id is declared."""
        return any(isinstance(r, WarningRule) and r.id == rule_id for r in self.rules)

    def checklist(self, pattern: int) -> ChecklistRule | None:
        """The service checklist of a pattern, if declared."""
        return next((r for r in self.rules if isinstance(r, ChecklistRule) and r.pattern == pattern), None)

    def stages(self) -> tuple[StageRule, ...]:
        """The stages of the migration path, in order."""
        return tuple(sorted((r for r in self.rules if isinstance(r, StageRule)), key=lambda r: r.stage))

    def effort(self) -> EffortRule:
        """The effort model (the last declared wins, so a user's file can replace the bundled one)."""
        found = [r for r in self.rules if isinstance(r, EffortRule)]
        if not found:
            raise HeuristicsError("no effort rule declared")
        return found[-1]

    def _one(self, kind: type[_RuleT], rule_id: str) -> _RuleT:
        for rule in self.rules:
            if isinstance(rule, kind) and rule.id == rule_id:
                return rule
        raise HeuristicsError(f"heuristics: rule {rule_id!r} is not declared")

    def matchers(self, kind: str) -> dict[str, MatchRule]:
        """Qualified name → rule, for the match rules of one kind (the first rule wins a name)."""
        table: dict[str, MatchRule] = {}
        for rule in self.rules:
            if isinstance(rule, MatchRule) and rule.kind == kind:
                for name in rule.names:
                    table.setdefault(name, rule)
        return table


def bundled_rules_dir() -> Traversable:
    """The folder of bundled rule files, from an installed wheel or a checkout."""
    packaged = resources.files("migrate_scan.heuristics") / "rules"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "heuristics"
    if checkout.is_dir():
        return checkout
    raise HeuristicsError("bundled heuristics not found: the installation is incomplete")


def load_heuristics(
    extra_dirs: tuple[Path, ...] = (), handled_roles: Mapping[str, frozenset[str]] | None = None
) -> Heuristics:
    """Load and validate the bundled rules and those in `extra_dirs`.

    Args:
        extra_dirs: folders of the user's own rule files.
        handled_roles: match-rule kind → the roles some recognizer's code acts on (`""` for a
            kind without roles; `prefix:*` for a family). When given, a match rule of a kind or
            role no code handles is an error: it would load and never fire.

    Raises:
        HeuristicsError: a folder is missing, or any file is unreadable or invalid.
    """
    sources: list[tuple[str, bytes]] = _read_folder(bundled_rules_dir(), "heuristics")
    for directory in extra_dirs:
        if not directory.is_dir():
            raise HeuristicsError(f"heuristics folder not found: {directory}")
        sources.extend(_read_folder(directory, str(directory)))
    errors: list[str] = []
    rules: list[Rule] = []
    declared: dict[str, str] = {}  # rule id → the file that declares it first
    for label, data in sources:
        parsed = _validate(label, data, errors)
        if parsed is None:
            continue
        rules.extend(parsed.rules)
        for index, rule in enumerate(parsed.rules):
            if handled_roles is not None and isinstance(rule, MatchRule):
                _check_role(label, index, rule, handled_roles, errors)
            if rule.id in declared:
                first = declared[rule.id]
                errors.append(f"{label}: rules[{index}].id: rule id {rule.id!r} is already declared in {first}")
            declared.setdefault(rule.id, label)
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise HeuristicsError(f"invalid heuristics: {errors[0]}{more}")
    digest = hashlib.sha256()
    for label, data in sorted(sources):
        digest.update(label.rsplit("/", 1)[-1].encode())
        digest.update(data)
    return Heuristics(rules=tuple(sorted(rules, key=lambda r: r.id)), digest=digest.hexdigest()[:16])


def _check_role(
    label: str, index: int, rule: MatchRule, handled_roles: Mapping[str, frozenset[str]], errors: list[str]
) -> None:
    """An error unless some recognizer handles the rule's kind and role."""
    roles = handled_roles.get(rule.kind)
    if roles is None:
        errors.append(f"{label}: rules[{index}].kind: no recognizer handles rules of kind {rule.kind!r}")
    elif not role_is_handled(rule.role, roles):
        known = ", ".join(repr(r) for r in sorted(roles))
        errors.append(
            f"{label}: rules[{index}].role: no recognizer handles role {rule.role!r} of kind {rule.kind!r}"
            f" (handled: {known})"
        )


def role_is_handled(role: str, roles: frozenset[str]) -> bool:
    """Whether `role` is one of `roles`, or falls under a `prefix:*` family among them."""
    return role in roles or any(r.endswith("*") and role.startswith(r[:-1]) and role != r[:-1] for r in roles)


def _read_folder(folder: Traversable | Path, label: str) -> list[tuple[str, bytes]]:
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    found = []
    for file in files:
        try:
            found.append((f"{label}/{file.name}", file.read_bytes()))
        except OSError as error:
            raise HeuristicsError(f"{label}/{file.name}: cannot read: {error.strerror}") from error
    return found


def _validate(label: str, data: bytes, errors: list[str]) -> RuleFile | None:
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        errors.append(f"{label}: not valid TOML: {error}")
        return None
    try:
        return RuleFile.model_validate(document)
    except ValidationError as error:
        for detail in error.errors():
            where = _field_path(detail["loc"])
            errors.append(f"{label}: {where}: {detail['msg']}" if where else f"{label}: {detail['msg']}")
        return None


def _field_path(location: tuple[int | str, ...]) -> str:
    text = ""
    previous: int | str | None = None
    for part in location:
        if isinstance(previous, int) and part in _RULE_KINDS:
            previous = part
            continue  # pydantic names the union member (the rule's kind); the user wrote no such field
        previous = part
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
