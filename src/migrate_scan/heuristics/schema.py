"""The schema of heuristics files: what a rule may say, validated on load.

Every model forbids unknown fields, so a typo fails loudly with the file and
field named. Doc fields (`summary`, `why`, `example`, `known_problems`,
`references`) sit on the rule itself.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from migrate_scan.errors import HeuristicsError

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
    module_aliases: dict[str, str] = Field(
        default_factory=dict,
        description="Old import paths of the framework's modules → the module they import today. A key ending "
        "in `.` is a prefix (`flask.ext.` → `flask_`: `flask.ext.sqlalchemy` is `flask_sqlalchemy`); any other "
        "key is a module and its submodules (`django.conf.urls.defaults` → `django.conf.urls`).",
    )


MatchKind = Literal[
    "app-object",
    "app-config",
    "entry-point",
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
    "signal-send",
    "realtime-response",
    "url-pattern",
    "url-include",
    "url-router",
    "view-class",
    "view-decorator",
    "viewset-action",
    "readiness-call",
    "readiness-setting",
    "readiness-value",
    "readiness-import",
    "graphql-schema",
    "graphql-field",
    "graphql-mutation",
    "graphql-handler",
    "graphql-view",
    "auth-check",
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
    warning: str = Field(
        default="",
        pattern=r"^$|^[A-Z]{2,4}[0-9]{3}$",
        description="Readiness rules: the warning rule (`MS301`) a match raises, as `Blocker.rule`.",
    )
    threshold: float | None = Field(
        default=None, ge=0, description="Readiness rules: the numeric limit a matched setting is compared with."
    )

    @model_validator(mode="after")
    def _readiness_rules_name_their_warning(self) -> MatchRule:
        if self.kind in ("readiness-call", "readiness-setting", "readiness-import") and not self.warning:
            raise ValueError(f'a {self.kind} rule must name the warning it raises (`warning = "MS3xx"`)')
        return self


class InheritedRoute(BaseModel):
    """One route an outside view base class serves for every registered subclass."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    handler: str = Field(
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="The base class's method that serves it (`list`): the name a subclass overrides, and the "
        "one `include_route_methods`/`exclude_route_methods` list.",
    )
    rule: str = Field(description="The URL rule, relative to the view's route base (`/show/<pk>`).")
    methods: list[str] = Field(min_length=1, description="HTTP methods the rule serves, upper case.")


class ViewBaseRule(RuleDocs):
    """An outside view base class (Flask-AppBuilder's `ModelView`, `ModelRestApi`): where a registered
    subclass is served and the routes the base class itself contributes.

    The recognizer reads the subclass's own `route_base`, `resource_name`, `version` and
    `include_route_methods`/`exclude_route_methods`; this rule gives the defaults and the inherited routes.
    """

    kind: Literal["view-base"] = Field(description="Rule kind.")
    framework: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="Framework reported with the routes.")
    names: list[str] = Field(min_length=1, description="Fully qualified dotted names of the base class.")
    route_base: str = Field(
        pattern=r"^/",
        description="Where a subclass without its own `route_base` is served: `{class}` is the class name lower "
        "case, `{resource}` its `resource_name` (default: the class name lower case), `{version}` its `version`.",
    )
    version: str = Field(default="", description="The default of a subclass's `version` (`v1`).")
    routes: list[InheritedRoute] = Field(
        default_factory=list, description="Routes the base class exposes, in the base class's own spelling."
    )


class ThresholdRule(RuleDocs):
    """A rule whose logic is code and whose numbers are data."""

    thresholds: dict[str, float] = Field(default_factory=dict, description="Named numeric thresholds.")

    def threshold(self, name: str) -> float:
        """The named threshold this rule declares.

        Raises:
            HeuristicsError: the rule declares no such threshold (the code and the data disagree).
        """
        if name not in self.thresholds:
            raise HeuristicsError(f"heuristics: rule {self.id} declares no threshold {name!r}")
        return self.thresholds[name]


class DecisionRule(ThresholdRule):
    """One branch of the seed's decision tree: when a module or context gets a pattern.

    The logic is the classify stage's code; the pattern, the confidence and
    the thresholds it compares against are this data.
    """

    kind: Literal["decision"] = Field(description="Rule kind.")
    pattern: int = Field(ge=1, le=5, description="The pattern (1-5) the rule concludes.")
    confidence: float = Field(ge=0, le=1, description="Confidence of a verdict this rule alone supports.")
    words: list[str] = Field(default_factory=list, description="Name fragments the rule looks for, lower case.")
    callees: list[str] = Field(
        default_factory=list,
        description="Outside callees the rule looks for, as the call graph names them (`requests:post`); "
        "a trailing `*` matches every callee with that prefix.",
    )
    methods: list[str] = Field(
        default_factory=list,
        description="Method names the rule looks for on any receiver (PT403: methods that write model fields "
        "by keyword, `update`).",
    )


class PackageRule(RuleDocs):
    """Knowledge about a family of distributions: installed size and what they need from the system.

    Read by the classify stage against the project's dependency manifests: native packages raise the
    rule's `warning` (MS307); the sizes add up to the estimate compared with Lambda's package limit (MS312).
    """

    kind: Literal["package"] = Field(description="Rule kind.")
    sizes: dict[str, float] = Field(
        min_length=1, description="Distribution name (PEP 503, lower case) → installed size in MB, about."
    )
    native: bool = Field(description="Compiled code or system libraries: a Linux build for Lambda's runtime.")
    system: str = Field(default="", description="System libraries or binaries it needs besides the wheel.")
    warning: str = Field(default="MS307", description="The warning a native package of this family raises.")


Disposition = Literal["entry-adapter", "configuration", "routing", "retired", "not-deployed", "host"]
"""What becomes of an app-shell or test module, which has no pattern of its own."""


class DispositionRule(RuleDocs):
    """What becomes of a module of the app shell (or test code): it gets a disposition, not a pattern."""

    kind: Literal["disposition"] = Field(description="Rule kind.")
    disposition: Disposition = Field(description="The disposition the rule concludes.")
    compute: Literal["lambda", "fargate", "ec2"] | None = Field(
        default=None, description="Where the module runs after the migration, if it runs at all."
    )
    confidence: float = Field(ge=0, le=1, description="Confidence of a disposition this rule alone supports.")
    words: list[str] = Field(default_factory=list, description="Name fragments the rule looks for, lower case.")


class WarningRule(ThresholdRule):
    """A finding the classify stage raises: anti-pattern, over-engineering case or Lambda blocker."""

    kind: Literal["warning"] = Field(description="Rule kind.")
    category: Literal["mandatory", "optional", "potential"] = Field(
        description="mandatory: must change before Lambda; optional: should; potential: may, check it."
    )
    group: Literal["anti-pattern", "over-engineering", "blocker"] = Field(description="Which seed list it is from.")
    title: str = Field(min_length=1, description="A short name shown in reports.")
    fix: str = Field(min_length=1, description="The fix hint: what to do instead.")
    compute: Literal["lambda", "fargate", "ec2"] | None = Field(
        default=None, description="Where the flagged work should run, if not on Lambda."
    )
    words: list[str] = Field(default_factory=list, description="Attribute names the finder looks for.")
    listings: list[str] = Field(
        default_factory=list, description="Method or function names that list an outside collection (files, objects)."
    )


class ServiceLine(BaseModel):
    """One line of a service checklist."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    service: str = Field(min_length=1)
    need: Literal["required", "recommended", "optional", "not-needed", "avoid"]


class ChecklistRule(RuleDocs):
    """The seed's service checklist of one pattern."""

    kind: Literal["checklist"] = Field(description="Rule kind.")
    pattern: int = Field(ge=1, le=5, description="The pattern the checklist belongs to.")
    services: list[ServiceLine] = Field(min_length=1, description="The checklist, in the seed's order.")


class StageRule(RuleDocs):
    """One stage of the seed's migration path: its pattern and steps."""

    kind: Literal["stage"] = Field(description="Rule kind.")
    stage: int = Field(ge=1, le=4)
    pattern: int = Field(ge=1, le=5)
    title: str = Field(min_length=1)
    steps: list[str] = Field(min_length=1, description="The seed's steps for this stage.")


class EffortRule(RuleDocs):
    """How story points are estimated from size, complexity and coupling."""

    kind: Literal["effort"] = Field(description="Rule kind.")
    scale: list[int] = Field(min_length=2, description="The allowed story points, ascending.")
    weights: dict[str, float] = Field(description="Points per unit of each measure.")


TYPE_SYMBOL_PATTERN = r"^[A-Za-z_][A-Za-z0-9_.]*:[A-Za-z_][A-Za-z0-9_.]*$"


class TypeRule(RuleDocs):
    """An outside type the call graph may name methods of, and what returns one.

    The link stage names a call `<type>.<method>` when the receiver is known
    to be an instance of this type: built by calling one of `names` or
    `made_by`, read from a typed attribute (`attributes` of another type), or
    returned by a typed method (`returns`). Without such knowledge a call on
    the result of an outside call stays unresolved: never an invented name.
    """

    kind: Literal["type"] = Field(description="Rule kind.")
    type: str = Field(
        pattern=TYPE_SYMBOL_PATTERN,
        description="The type's symbol, `module:Class` (`django.db.models:QuerySet`); callees are `<type>.<method>`.",
    )
    names: list[str] = Field(
        default_factory=list, description="Other dotted names of the same class (re-exports, definition module)."
    )
    made_by: list[str] = Field(
        default_factory=list, description="Dotted names of functions whose call returns an instance (`requests.get`)."
    )
    attributes: dict[str, str] = Field(
        default_factory=dict,
        description="Attribute → type symbol, for attributes of the class or its instances (`objects` of a Model).",
    )
    returns: dict[str, str] = Field(
        default_factory=dict, description="Method → type symbol of what it returns (`filter` → QuerySet)."
    )
    is_opaque: bool = Field(
        default=False,
        description="Its attributes are made at run time (`unittest.mock.Mock`): no method of it is ever named.",
    )


AccessRole = Literal[
    "write-method",
    "read-and-write-method",
    "signalling-method",
    "collection-write",
    "lookup-method",
    "path-method",
    "query-step",
    "lazy-method",
    "statement-write",
    "statement-clause",
    "session-write",
    "session-commit",
    "eager-loading",
    "manager",
    "view-accessor",
    "sql-call",
    "model-signal",
    "user-permission-method",
    "view-class",
    "view-hooks",
    "form-hooks",
    "outside-function",
    "model-bound-base",
    "login-proxy",
    "login-call",
    "user-loader",
    "outside-model",
    "user-model-call",
    "view-attribute-hooks",
    "view-method-hooks",
    "save-observer",
    "serializer-hooks",
    "serializer-base",
    "related-field",
    "rendered-related-field",
    "serializer-keyword",
    "method-field",
    "field-render-hook",
    "field-input-hook",
    "object-permission-backend",
    "relationship-schema",
    "schema-dump",
    "schema-load",
    "table-statement",
    "view-decorators",
    "row-identity",
    "row-step",
    "pair-method",
    "memoizer",
    "deferred-call",
    "backend-call",
    "batch-loader",
    "signal-relay",
    "delete-method",
    "delete-signal",
    "delete-action",
    "deletion-collector",
    "on-delete",
    "on-delete-cascade",
    "generic-relation",
    "cascade-option",
    "soft-delete-base",
    "request-namespace",
    "session-proxy",
    "local-proxy",
    "filter-expression",
    "path-expression",
    "outer-reference",
    "relation-signal",
    "request-class-attribute",
    "history-tracker",
]
"""The tables of the data-access recognizer a rule adds to (rules of one role are merged)."""

_VOCABULARY: tuple[str, ...] = ("names",)
ACCESS_ROLE_FIELDS: dict[str, tuple[str, ...]] = {
    **{
        role: _VOCABULARY
        for role in (
            "write-method", "read-and-write-method", "signalling-method", "collection-write", "lookup-method",
            "path-method", "query-step", "lazy-method", "statement-write", "statement-clause", "session-write",
            "session-commit", "eager-loading", "manager", "view-accessor", "sql-call", "model-signal",
            "model-bound-base", "login-proxy", "user-model-call", "serializer-hooks", "serializer-base",
            "related-field", "rendered-related-field", "serializer-keyword", "method-field",
            "field-render-hook", "field-input-hook",
            "model-bound-base", "login-proxy", "user-model-call", "relationship-schema", "schema-dump",
            "schema-load", "table-statement", "view-decorators", "row-identity", "row-step", "pair-method", "memoizer",
            "deferred-call",
            "delete-method", "delete-signal", "on-delete-cascade", "cascade-option",
            "request-namespace", "session-proxy", "local-proxy",
            "filter-expression", "path-expression", "outer-reference", "relation-signal",
        )
    },
    "user-permission-method": ("names", "reads"),
    "view-class": ("names", "actions"),
    "view-hooks": ("hooks",),
    "form-hooks": ("hooks",),
    "outside-function": ("names", "reads", "writes"),
    "login-call": ("hooks",),
    "user-loader": ("hooks",),
    "outside-model": ("names", "table", "cached"),
    "view-attribute-hooks": ("hooks",),
    "view-method-hooks": ("hooks",),
    "save-observer": ("names", "writes"),
    "object-permission-backend": ("names", "reads"),
    "backend-call": ("hooks",),
    "batch-loader": ("names", "hooks"),
    "signal-relay": ("hooks",),
    "delete-action": ("hooks",),
    "deletion-collector": ("hooks",),
    "soft-delete-base": ("hooks",),
    "on-delete": ("actions",),
    "generic-relation": ("names", "writes"),
    "request-class-attribute": ("names", "hooks"),
    "history-tracker": ("names", "reads", "hooks"),
}  # fmt: skip
"""The fields each role reads (the others must stay empty; `writes` may be empty)."""
_OPTIONAL_ACCESS_FIELDS = frozenset({"writes", "cached"})
HISTORY_KEYS = frozenset({"aggregates", "suffix"})
"""The hooks of a history-tracker rule."""


class DataAccessRule(RuleDocs):
    """Knowledge the data-access recognizer reads: what ORM calls and framework classes do to tables.

    `role` names the table the rule adds to: a vocabulary of method names
    (`write-method`: `save`, `delete`...), the actions a framework's view
    class inherits and what each does to its model (`view-class`), outside
    functions and the tables they read and write (`outside-function`), hooks
    a framework call runs on the class (`form-hooks`, `view-hooks`), and how
    the logged-in user is found (`login-proxy`, `login-call`, `user-loader`), model classes of
    other packages and their tables (`outside-model`), calls that return the user model
    (`user-model-call`), model schemas and what dumping and loading with them do
    (`relationship-schema`, `schema-dump`, `schema-load`), statements on a model's table
    (`table-statement`), view class attributes listing decorators (`view-decorators`), what tells a
    loaded row from one just built (`row-identity`), query steps that give one row (`row-step`), ORM
    calls giving a row and a flag (`pair-method`), decorators that keep a function's results
    (`memoizer`) and signals an outside package sends when another is sent (`signal-relay`).
    How a match is used is the recognizer's code; rules of one role are merged.
    """

    kind: Literal["data-access"] = Field(description="Rule kind.")
    role: AccessRole = Field(description="Which table of the data-access recognizer the rule adds to.")
    names: list[str] = Field(
        default_factory=list,
        description="Method names (vocabularies) or fully qualified dotted names (classes, functions, proxies).",
    )
    actions: dict[str, Literal["r", "w", "rw"]] = Field(
        default_factory=dict,
        description="view-class: inherited action or HTTP method → what it does to the view's model "
        "(`r` read, `w` write, `rw` both); on-delete: a ForeignKey's `on_delete` → what deleting its target "
        "does to the field's model.",
    )
    reads: list[str] = Field(default_factory=list, description="Tables read (`{user}`: the user model's table).")
    writes: list[str] = Field(
        default_factory=list,
        description="Tables written (save-observer: when a model the call registers is saved or deleted; "
        "generic-relation: the table of the related rows when the field names no model).",
    )
    table: str = Field(
        default="",
        pattern=r"^$|^[A-Za-z_][A-Za-z0-9_]*$",
        description="outside-model: the table the class's rows are stored in (`auth_group`).",
    )
    cached: list[str] = Field(
        default_factory=list,
        description="outside-model: methods of its manager served from a per-process cache once warm "
        "(`ContentType.objects.get_for_model`): no read, of it or of a model class passed to them.",
    )
    hooks: dict[str, list[str]] = Field(
        default_factory=dict,
        description="form-hooks: call → the methods it runs on the class (a trailing `_`: a prefix); "
        "view-hooks: `any`, `r` or `w` (what the action does) → the methods it runs; "
        "login-call, user-loader: package → the endings of the names that match; "
        "signal-relay: a signal (dotted name) → the signals its outside receivers send in turn; "
        "view-attribute-hooks: class attribute of a view (`filter_backends`) → the methods an action "
        "that reads the view's rows calls on the classes it names; "
        "delete-action: view class → its actions that delete the view's object; "
        "deletion-collector: collector class → its methods that collect what a delete would touch; "
        "soft-delete-base: model base class → its methods that only mark rows deleted; "
        "request-class-attribute: class attribute of a view (`permission_classes`) → the methods every request "
        "runs on the classes it names, `<attribute>:object` → those a request on one object runs, "
        "`<attribute>:default` → the settings (`DICT.KEY`) naming the classes of a view that sets none; "
        "history-tracker: `aggregates` → the model classes whose queries read every generated table, "
        "`suffix` → what the generated model's name adds to the tracked model's (`Event`).",
    )

    @model_validator(mode="after")
    def _fields_of_the_role(self) -> DataAccessRule:
        wanted = ACCESS_ROLE_FIELDS[self.role]
        for name in ("names", "actions", "reads", "writes", "hooks", "table", "cached"):
            given = bool(getattr(self, name))
            if name in wanted and not given and name not in _OPTIONAL_ACCESS_FIELDS:
                raise ValueError(f"a {self.role} rule needs `{name}`")
            if name not in wanted and given:
                raise ValueError(f"a {self.role} rule takes no `{name}` (it reads {', '.join(wanted)})")
        if self.role == "view-hooks" and not set(self.hooks) <= {"any", "r", "w"}:
            raise ValueError("view-hooks keys are `any`, `r` and `w`")
        if self.role == "history-tracker" and (set(self.hooks) != HISTORY_KEYS or len(self.hooks["suffix"]) != 1):
            raise ValueError("history-tracker hooks are `aggregates` and `suffix` (one name)")
        return self


Rule = Annotated[
    FrameworkRule
    | MatchRule
    | DecisionRule
    | DispositionRule
    | PackageRule
    | WarningRule
    | ChecklistRule
    | StageRule
    | EffortRule
    | TypeRule
    | DataAccessRule
    | ViewBaseRule,
    Field(discriminator="kind"),
]


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
