"""The schema of heuristics files: what a rule may say, validated on load.

Every model forbids unknown fields, so a typo fails loudly with the file and
field named. Doc fields (`summary`, `why`, `example`, `known_problems`,
`references`) sit on the rule itself.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

RULE_ID_PATTERN = r"^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$|^[A-Z]{2,4}[0-9]{3}$"


class RuleDocs(BaseModel):
    """Documentation every rule carries."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=RULE_ID_PATTERN, description="Stable id; never reused or renumbered.")
    summary: str = Field(min_length=1, description="What the rule recognises, in one sentence.")
    why: str = Field(default="", description="Why it matters for the migration.")
    example: str = Field(default="", description="A short example of code the rule matches.")
    known_problems: str = Field(default="", description="Known false positives and negatives.")
    references: list[str] = Field(default_factory=list, description="Links to further reading.")


class FrameworkRule(RuleDocs):
    """Detects a framework or companion library from the modules a project imports."""

    kind: Literal["framework"] = Field(description="Rule kind.")
    framework: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="Name reported in project.frameworks.")
    imports: list[str] = Field(
        min_length=1,
        description="Dotted module names; importing one of them or a submodule counts as evidence.",
    )


MatchKind = Literal[
    "app-object",
    "route-decorator",
    "route-registration",
    "model-base",
    "task-decorator",
    "model-field",
    "job-base",
    "job-call",
    "settings-key",
    "realtime-base",
    "realtime-decorator",
    "realtime-registration",
    "signal-decorator",
    "signal-object",
    "signal-builtin",
    "signal-listen",
    "url-pattern",
    "url-include",
    "url-router",
    "view-class",
    "view-decorator",
    "viewset-action",
]


class MatchRule(RuleDocs):
    """Recognises a framework construct by the qualified names link resolved.

    Recognizers compile these into lookup tables (qualified name → rule) and
    never loop over rules. What a match means is the recognizer's code; what
    it matches is this data.
    """

    kind: MatchKind = Field(description="What the names identify (the recognizer that consumes the rule).")
    framework: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="Framework or ORM reported with the match.")
    names: list[str] = Field(
        min_length=1,
        description="Fully qualified dotted names (`flask.Blueprint.route`); a match on any candidate counts.",
    )
    role: str = Field(default="", description="Role of the match, when the kind has several (app, blueprint, api).")
    methods: list[str] = Field(
        default_factory=list,
        description="HTTP methods a shortcut implies (`flask.Blueprint.post` → POST); empty: from the code.",
    )


Rule = Annotated[FrameworkRule | MatchRule, Field(discriminator="kind")]


class RuleFile(BaseModel):
    """One heuristics file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1] = Field(description="Version of this file format.")
    rules: list[Rule] = Field(default_factory=list, description="The rules this file declares.")

    @model_validator(mode="after")
    def _unique_ids(self) -> RuleFile:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"duplicate rule id {rule.id!r}")
            seen.add(rule.id)
        return self
