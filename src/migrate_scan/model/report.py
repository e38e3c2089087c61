"""The schema-v1 report: the one source of truth for the JSON output and its JSON Schema.

Every renderer reads this model and nothing else. Lists are sorted when the
report is built, so the same tree always gives the same bytes. Keys may be
added in later versions of schema 1; none may be renamed.
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from migrate_scan.model.ids import Location

SCHEMA_VERSION: Final = "1"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(_Model):
    """Why something was concluded: the rule that fired and where."""

    rule: str = Field(description="Stable id of the rule that fired.")
    locations: list[Location] = Field(default_factory=list, description="Where in the scanned code.")


class Tool(_Model):
    """The tool that wrote the report."""

    name: Literal["migrate-scan"] = "migrate-scan"
    version: str


class Framework(_Model):
    """A framework or companion library the project uses."""

    name: str
    evidence: Evidence


class Totals(_Model):
    """Sizes of the scanned tree."""

    files: int = Field(description="Python files found (analyzed + skipped).")
    analyzed: int = Field(description="Python files analyzed.")
    skipped: int = Field(description="Python files skipped.")
    lines: int = Field(description="Physical lines of the analyzed files.")
    source_lines: int = Field(description="Lines that are neither blank nor comment-only.")


class Project(_Model):
    """What was scanned."""

    name: str = Field(description="The scanned folder's name (never an absolute path).")
    frameworks: list[Framework]
    source_roots: list[str] = Field(description="Folders that module names are relative to ('.' = the root).")
    totals: Totals


class SkippedFile(_Model):
    """A Python file that was not analyzed, and why."""

    path: str
    reason: Literal[
        "syntax-error",
        "undecodable",
        "too-large",
        "unreadable",
        "not-a-file",
        "outside-root",
        "timeout",
        "parser-crash",
        "newer-syntax",
        "memory-limit",
        "duplicate-module",
    ]
    message: str
    line: int | None = None


class ExcludedPath(_Model):
    """A folder or Python file discovery left out on purpose, and the rule that did."""

    path: str = Field(description="Relative path, escaped like every name; a folder's ends with '/'.")
    reason: Literal["default-exclude", "gitignore", "exclude-option", "virtualenv"] = Field(
        description="default-exclude (built in), gitignore, exclude-option (--exclude or [tool.migrate-scan] "
        "exclude), virtualenv (a folder holding pyvenv.cfg)."
    )
    pattern: str = Field(
        description="The pattern that matched (`node_modules/`); for gitignore, prefixed by its file "
        "(`.gitignore: build/`); `pyvenv.cfg` for a virtualenv."
    )
    python_files: int = Field(description="Python files inside (1 for a file).")
    is_count_complete: bool = Field(
        default=True, description="False when counting stopped early (a huge folder); python_files is then a floor."
    )


class Files(_Model):
    """Every Python file under the root: analyzed (counted), skipped (listed) or excluded on purpose."""

    analyzed: int
    skipped: list[SkippedFile]
    excluded: list[ExcludedPath] = Field(
        default_factory=list,
        description="What discovery left out and why: excluded Python files, and excluded folders that hold "
        "Python files, with their count; nothing below an excluded folder is listed on its own.",
    )


TABLE_PREFIX = "table:"
"""How a table no model class maps is named where a model symbol would be (`table:followers`)."""
TABLE_ENTRIES = (
    " A table no model class maps is `table:<name>`: an association table, an auto-created many-to-many "
    "table (the model it belongs to names it in a relation's `through`), or a table named only in raw SQL."
)
READS_DESCRIPTION = "Models it reads, through everything it calls." + TABLE_ENTRIES
WRITES_DESCRIPTION = "Models it writes, through everything it calls." + TABLE_ENTRIES


class Route(_Model):
    """An HTTP endpoint the application serves."""

    methods: list[str]
    path: str = Field(description="Canonical path: parameters as {name}, prefixes applied, leading '/'.")
    raw_path: str = Field(description="The path as the framework spells it.")
    handler: str = Field(description="Symbol of the view function or method.")
    action: str | None = Field(default=None, description="DRF or MethodView action, if any.")
    view: str | None = Field(
        default=None,
        description="The class-based view or viewset routed (its symbol), when the handler is a method it has.",
    )
    framework: str
    location: Location
    evidence: list[Evidence] = Field(default_factory=list)
    reads: list[str] = Field(default_factory=list, description=READS_DESCRIPTION)
    writes: list[str] = Field(default_factory=list, description=WRITES_DESCRIPTION)
    auth: list[Evidence] = Field(
        default_factory=list,
        description="Why the view requires an authenticated or permitted caller (login decorators, mixins, "
        "permission classes): rule and places; empty when the scan found no check.",
    )

    @property
    def owner(self) -> str:
        """The symbol the route belongs to: the class routed when there is one, else the handler.

        A class-based view's handler is often a method it inherits from a generic base elsewhere
        (`ObjectListView.get`, Indico's `RH.process`): the route is the routed class's, and so is its module.
        """
        return self.view or self.handler


JobKind = Literal[
    "celery-task",
    "celery-periodic",
    "celery-workflow",
    "rq-job",
    "scheduler",
    "django-command",
    "flask-command",
    "click-command",
    "worker-loop",
    "thread",
]
"""The kinds of job the recognizers emit; later stages can only name these."""


CanvasKind = Literal["task", "chain", "group", "chord", "map"]
ParserName = Literal["ast", "libcst", "python2"]


def parser_name(parser: str) -> ParserName:
    """The report's name of the parser a file's facts came from (`FileFacts.parser`)."""
    if parser == "libcst":
        return "libcst"
    return "python2" if parser == "python2" else "ast"


class CanvasStep(_Model):
    """One node of a Celery canvas, as the code composes it.

    task: a signature of one task (`name`); chain: `steps` in order (`chain(...)`, `a | b`); group: `steps` run
    in parallel; chord: the group `steps`, then `callback`; map: a group built from a loop or comprehension,
    `steps` holding the one signature repeated per item.
    """

    kind: CanvasKind
    task: str | None = Field(default=None, description="task: the registered name of the task.")
    steps: list[CanvasStep] = Field(default_factory=list)
    callback: CanvasStep | None = Field(default=None, description="chord: the body run after the group.")


class Job(_Model):
    """Background or scheduled work."""

    kind: JobKind = Field(description="What runs it: a task queue, a schedule, a command line, a loop or a thread.")
    name: str
    handler: str
    schedule: str | None = None
    location: Location
    evidence: list[Evidence] = Field(default_factory=list)
    task: str | None = Field(default=None, description="celery-periodic: the registered name of the task it runs.")
    time_limit: float | None = Field(default=None, description="Hard time limit in seconds, if declared.")
    soft_time_limit: float | None = Field(default=None, description="Soft time limit in seconds, if declared.")
    max_retries: int | None = Field(default=None, description="Retries allowed, if declared.")
    timezone: str | None = Field(
        default=None,
        description="celery-periodic: the timezone beat evaluates the schedule in (the app's `timezone` setting); "
        "None when the scan found none (Celery's default, UTC).",
    )
    steps: list[str] = Field(
        default_factory=list, description="celery-workflow: the tasks the canvas composes, in source order."
    )
    canvas: list[CanvasStep] = Field(
        default_factory=list,
        description="celery-workflow: the shape of each canvas the function builds (outermost compositions).",
    )
    reads: list[str] = Field(default_factory=list, description=READS_DESCRIPTION)
    writes: list[str] = Field(default_factory=list, description=WRITES_DESCRIPTION)


class Relation(_Model):
    """A relation from one data model to another."""

    kind: str = Field(description="foreign-key, one-to-one, many-to-many, relationship, ...")
    target: str = Field(description="Symbol of the target model, or the unresolved spelling.")
    field: str | None = Field(default=None, description="The attribute that declares the relation.")
    through: str | None = Field(
        default=None,
        description="Where a many-to-many relation is stored: the through model's symbol, or `table:<name>` for "
        "a table no model class maps (Django's auto-created `<model table>_<field>`, a SQLAlchemy `secondary` "
        "association table). That table belongs to this relation's model.",
    )


class AccessPattern(_Model):
    """How the code looks a model up: one query chain's shape, with every place it is written so."""

    equals: list[str] = Field(default_factory=list, description="Fields compared for equality (`filter(a=...)`).")
    ranges: list[str] = Field(default_factory=list, description="Fields compared by range (`a__gte=`, `a__in=`).")
    orders: list[str] = Field(default_factory=list, description="Fields it orders by (`order_by('-a')` gives `a`).")
    joins: list[str] = Field(
        default_factory=list, description="Relations it follows in the query (`author__name=`, `select_related`)."
    )
    locations: list[Location] = Field(default_factory=list)


class DataModel(_Model):
    """A persistent data model (ORM class)."""

    name: str
    symbol: str
    orm: str
    table: str | None = None
    relations: list[Relation] = Field(default_factory=list)
    location: Location
    abstract: bool = Field(default=False, description="An abstract base: no table of its own.")
    proxy: bool = Field(default=False, description="A Django proxy model: the table of its concrete parent.")
    parent: str | None = Field(default=None, description="Concrete parent model (multi-table or proxy inheritance).")
    access: list[AccessPattern] = Field(
        default_factory=list, description="The query shapes found on it: the fields it is filtered and ordered by."
    )


class Realtime(_Model):
    """A real-time (WebSocket, Socket.IO, server-sent events) handler."""

    kind: str = Field(description="channels-consumer, socketio-event, sse, ...")
    handler: str
    event: str | None = None
    path: str | None = None
    location: Location
    reads: list[str] = Field(default_factory=list, description=READS_DESCRIPTION)
    writes: list[str] = Field(default_factory=list, description=WRITES_DESCRIPTION)


class Event(_Model):
    """An in-process event: a signal receiver or listener."""

    kind: str = Field(description="django-signal, sqlalchemy-event, blinker, ...")
    signal: str
    sender: str | None = None
    receiver: str
    location: Location
    reads: list[str] = Field(default_factory=list, description=READS_DESCRIPTION)
    writes: list[str] = Field(default_factory=list, description=WRITES_DESCRIPTION)


class Signal(_Model):
    """A custom signal the application defines, and where it is sent."""

    kind: str = Field(description="django-signal, blinker, ...")
    symbol: str = Field(description="Symbol of the signal object (`shop.signals:order_placed`).")
    location: Location = Field(description="Where the signal is defined.")
    sent_at: list[Location] = Field(default_factory=list, description="Where it is sent (`send`, `send_robust`).")
    receivers: int = Field(default=0, description="Receivers connected to it (see `events`).")


class Module(_Model):
    """One analyzed file and what the tool recommends for it."""

    name: str = Field(description="Dotted module name.")
    file: str
    lines: int
    source_lines: int
    complexity: int = Field(description="Total cyclomatic complexity (radon).")
    max_complexity: int = Field(description="Cyclomatic complexity of the most complex function.")
    parser: ParserName = Field(
        description=(
            "libcst: the file uses syntax newer than the interpreter; python2: a Python 2 file, read after a "
            "line-for-line rewrite (fissix)."
        )
    )
    context: str | None = None
    pattern: int | None = Field(default=None, ge=1, le=5)
    stage: int | None = Field(default=None, ge=1, le=4)
    compute: Literal["lambda", "fargate", "ec2"] | None = None
    confidence: float | None = Field(default=None, ge=0, le=1)
    evidence: list[Evidence] = Field(default_factory=list)
    disposition: Literal["entry-adapter", "configuration", "routing", "retired", "not-deployed", "host"] | None = Field(
        default=None,
        description="For app-shell and test modules, which get no pattern: entry-adapter (the WSGI/ASGI entry or "
        "app factory becomes the Lambda handler through a WSGI adapter or Mangum), configuration (settings: "
        "environment variables, SSM Parameter Store, Secrets Manager for secrets), routing (the root URL "
        "configuration becomes API Gateway routes), retired (the Celery app and worker entry: replaced by SQS "
        "and EventBridge Scheduler), not-deployed (test code), host (stays with the Fargate host until stage 4).",
    )
    note: str = Field(default="", description="The disposition in words, with what the module reads or serves.")
    role: Literal["business", "shared-kernel", "app-shell", "tests"] | None = Field(
        default=None,
        description="business: part of a bounded context; shared-kernel: a library every context uses; "
        "app-shell: the composition root (app factory, settings, entry scripts) that stays on the host; "
        "tests: test code, never deployed.",
    )


class ServiceNeed(_Model):
    """One line of a pattern's service checklist."""

    service: str
    need: Literal["required", "recommended", "optional", "not-needed", "avoid"]
    why: str = Field(default="", description="Why this context needs it (or not), from its evidence.")


class Dependency(_Model):
    """A dependency of one context on another, with its weight and evidence."""

    context: str = Field(description="The context depended on.")
    weight: float = Field(description="Sum of the edge weights that cross (calls, imports, model relations, ...).")
    kinds: list[str] = Field(default_factory=list, description="call, import, model-relation, model-access, signal.")
    locations: list[Location] = Field(default_factory=list, description="Where the dependency shows (capped).")


class Context(_Model):
    """A bounded context: a group of modules that should move together."""

    name: str
    kind: Literal["business", "shared-kernel", "app-shell", "tests"] = Field(
        default="business",
        description="shared-kernel: a library every context uses (a Lambda layer, not a service); "
        "app-shell: the composition root that stays on the host until stage 4; "
        "tests: the test suite, which stays with the repository and is never deployed.",
    )
    modules: list[str]
    seed: str = Field(
        default="",
        description="What seeded it: django-app, blueprint, package, pinned (config), or community (detected).",
    )
    models_owned: list[str] = Field(default_factory=list)
    models_used: list[str] = Field(
        default_factory=list, description="Models of other contexts it reads or writes (database-per-service risk)."
    )
    routes: int = 0
    jobs: int = 0
    realtime: int = 0
    events: int = 0
    pattern: int | None = Field(default=None, ge=1, le=5)
    stage: int | None = Field(default=None, ge=1, le=4)
    workflow: Literal["standard", "express"] | None = Field(
        default=None, description="Pattern 4: the Step Functions workflow type, by the seed's criteria."
    )
    fan_out: Literal["sns", "eventbridge"] | None = Field(
        default=None, description="Pattern 3: SNS (under 5 subscribers, simple filtering) or EventBridge."
    )
    compute: list[Literal["lambda", "fargate", "ec2"]] = Field(default_factory=list)
    confidence: float | None = Field(default=None, ge=0, le=1)
    evidence: list[Evidence] = Field(default_factory=list)
    services: list[ServiceNeed] = Field(default_factory=list)
    depends_on: list[str] = Field(default_factory=list)
    dependencies: list[Dependency] = Field(default_factory=list, description="depends_on with weights and evidence.")
    metrics: dict[str, float] = Field(default_factory=dict)
    rationale: str = ""
    effort: int | None = Field(default=None, description="Story points on the documented 1/2/3/5/8/13 scale.")


class Decomposition(_Model):
    """Quality of the split into contexts, with the field's usual measures.

    SM: structural modularity (Jin et al.), ICP: inter-partition call percentage,
    IFN: mean interface number (entry points called from other contexts),
    NED: non-extreme distribution (share of modules in contexts of 5 to 20 modules)
    and networkx modularity on the weighted module graph.
    """

    method: str = Field(default="", description="How contexts were found (seeds, algorithm, resolution, seed).")
    metrics: dict[str, float] = Field(default_factory=dict)
    shared_models: list[str] = Field(
        default_factory=list, description="Models read or written by more than one context."
    )


class Architecture(_Model):
    """The recommendation for the application as a whole."""

    pattern: int | None = Field(default=None, ge=1, le=5)
    stage: int | None = Field(default=None, ge=1, le=4)
    confidence: float | None = Field(default=None, ge=0, le=1)
    summary: str = ""
    evidence: list[Evidence] = Field(default_factory=list)


class CallEdge(_Model):
    """A call from one symbol to another, at the first line where it happens."""

    caller: str
    callee: str
    external: bool = Field(default=False, description="The callee is outside the scanned tree.")
    line: int = Field(default=0, description="First line of the caller where the call is made.")
    via_decorator: bool = Field(
        default=False,
        description=(
            "A decorator's wrapper calling the function it wraps: it reaches every function the decorator wraps, "
            "and each call site of a decorated function has its own edge, so a closure should skip this one."
        ),
    )
    wrapped_call: bool = Field(
        default=False,
        description=(
            "The callee is a function our own decorator wraps: the caller calls the wrapper (its own edge), "
            "which calls this function. Kept so a closure reaches the function without passing through "
            "a wrapper shared by every function the decorator wraps."
        ),
    )


class UnresolvedCallEntry(_Model):
    """A call whose target static reading could not determine."""

    caller: str
    callee: str = Field(description="The callee as written (`handlers[name]`, `getattr(...)`).")
    location: Location
    package: str = Field(
        default="",
        description="The outside package the call reaches, when its symbol there is not evident (`requests`).",
    )


class CallGraph(_Model):
    """The resolved call graph: our own functions, and the outside calls they make.

    A callee is a definition of the tree, a builtin (`builtins:len`,
    `builtins:str.join`), or an outside symbol whose path is evident from the
    code: an imported name plus static attributes (`requests:get`), a method
    of an outside class the code instantiates or subclasses
    (`smtplib:SMTP.sendmail`), or a method of a type the heuristics' type
    table knows (`django.db.models:QuerySet.filter`). Any other outside call is
    unresolved and counted against its package in `unresolved_outside`.
    """

    edges: list[CallEdge] = Field(default_factory=list)
    resolved: int = Field(default=0, description="Calls whose target was determined.")
    unresolved: int = Field(default=0, description="Calls whose target could not be determined.")
    unresolved_outside: dict[str, int] = Field(
        default_factory=dict,
        description="Of the unresolved calls, those that reach outside code by a path not evident, per top package.",
    )
    unresolved_calls: list[UnresolvedCallEntry] = Field(
        default_factory=list, description="Where they are (filled with --list-unresolved)."
    )


class PlanItem(_Model):
    """One context (or part of one) moved in a stage, in extraction order."""

    context: str
    modules: list[str] = Field(default_factory=list, description="The modules that move in this stage.")
    pattern: int = Field(ge=1, le=5)
    compute: list[Literal["lambda", "fargate", "ec2"]] = Field(default_factory=list)
    services: list[str] = Field(default_factory=list, description="AWS services it needs (required + recommended).")
    data: list[str] = Field(default_factory=list, description="Models it must take with it (the tables it owns).")
    steps: list[str] = Field(default_factory=list)
    effort: int = Field(default=0, description="Story points on the documented scale.")
    why_here: str = Field(default="", description="Why it comes at this position (coupling, dependencies).")


class PlanStage(_Model):
    """One stage of the migration path."""

    stage: int = Field(ge=1, le=4)
    pattern: int = Field(ge=1, le=5)
    title: str = ""
    contexts: list[str] = Field(default_factory=list)
    items: list[PlanItem] = Field(default_factory=list)
    steps: list[str] = Field(default_factory=list)
    services: list[str] = Field(default_factory=list)
    effort: int = Field(default=0, description="Story points.")


class StaysOffLambda(_Model):
    """A module that should run on Fargate or EC2, and why."""

    module: str
    compute: Literal["fargate", "ec2"]
    reason: str
    rule: str


class Plan(_Model):
    """The staged migration plan."""

    stages: list[PlanStage] = Field(default_factory=list)
    effort: int = Field(default=0, description="Story points for the whole path.")
    effort_scale: str = Field(default="", description="How story points were estimated.")
    off_lambda: list[StaysOffLambda] = Field(default_factory=list)


class Suppression(_Model):
    """Why a finding was silenced by the user."""

    reason: str
    location: Location | None = None


class Warning(_Model):
    """A finding: anti-pattern, over-engineering case or Lambda blocker."""

    rule: str
    category: Literal["mandatory", "optional", "potential"]
    kind: Literal["anti-pattern", "over-engineering", "blocker"] = "blocker"
    title: str = ""
    message: str
    fix: str
    locations: list[Location]
    modules: list[str] = Field(default_factory=list)
    contexts: list[str] = Field(default_factory=list)
    compute: Literal["lambda", "fargate", "ec2"] | None = Field(
        default=None, description="Where the flagged work should run instead, if not Lambda."
    )
    suppressed: Suppression | None = None


class UnresolvedRegistration(_Model):
    """A registration (route, task, receiver...) whose target static reading could not determine."""

    rule: str = Field(description="The rule that recognised the registration.")
    detail: str
    location: Location


STAGES_AFTER_PARSING = ("link", "recognize", "cluster", "classify", "plan", "report")
"""The stages whose units are isolated, in pipeline order (parsing isolates per file: `files.skipped`)."""


class AnalysisError(_Model):
    """A unit of analysis that failed and was left out; the rest of the report stands without it."""

    stage: Literal["link", "recognize", "cluster", "classify", "plan", "report"]
    unit: str = Field(description="What was lost: `module shop.views`, `recognizer flask`, `rule MS102`, ...")
    error: str = Field(description="The exception's type and message, on one line.")
    location: Location | None = Field(default=None, description="Where in the scanned tree, when known.")
    origin: str = Field(default="", description="Where in migrate-scan it was raised (`stages/link.py:42`).")


class LimitReached(_Model):
    """A cap or budget the analysis reached: past it the result is bounded, not wrong.

    What a cap keeps never depends on visiting order (the same tree gives the
    same report), but values, evaluations or symbols past it are left out, so
    some calls may be unresolved and some reach incomplete.
    """

    stage: Literal["link", "recognize", "cluster", "classify", "plan"]
    limit: Literal["values-per-variable", "evaluation-budget", "reach-per-entry-point", "call-sites-per-function"] = (
        Field(
            description="Which cap: `values-per-variable` (link's per-variable value set), `evaluation-budget` "
            "(link's worklist), `reach-per-entry-point` (symbols followed from one entry point), "
            "`call-sites-per-function` (call sites of one registration helper evaluated with its arguments)."
        )
    )
    cap: int = Field(description="The cap's value (values, evaluations or symbols).")
    hits: int = Field(description="How many units reached it (variables and returns, runs, entry points).")
    dropped: int = Field(
        description="What was left out: distinct values refused (summed over variables), units left unevaluated, "
        "or symbols not followed at the depth where the cap fell (at least)."
    )
    message: str


class Report(_Model):
    """The whole migration report (schema version 1)."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    tool: Tool
    project: Project
    files: Files
    routes: list[Route] = Field(default_factory=list)
    jobs: list[Job] = Field(default_factory=list)
    models: list[DataModel] = Field(default_factory=list)
    realtime: list[Realtime] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    signals: list[Signal] = Field(default_factory=list)
    modules: list[Module] = Field(default_factory=list)
    contexts: list[Context] = Field(default_factory=list)
    decomposition: Decomposition = Field(default_factory=Decomposition)
    architecture: Architecture = Field(default_factory=Architecture)
    call_graph: CallGraph = Field(default_factory=CallGraph)
    plan: Plan = Field(default_factory=Plan)
    warnings: list[Warning] = Field(default_factory=list)
    unresolved_registrations: list[UnresolvedRegistration] = Field(
        default_factory=list, description="Registrations the recognizers saw but could not follow, by location."
    )
    limits: list[LimitReached] = Field(
        default_factory=list,
        description="Caps and budgets the analysis reached, by stage; when not empty some results are bounded.",
    )
    analysis_errors: list[AnalysisError] = Field(
        default_factory=list,
        description="Units of analysis (a module in a stage, a recognizer, a rule) that failed and were "
        "left out; when not empty the report is partial.",
    )
