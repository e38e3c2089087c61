"""The draft stage's output: a typed model of the target AWS infrastructure, per business context.

`Report` (draft) → `Infrastructure` → the SAM renderer. Nothing here knows
YAML or CloudFormation property names: a resource is named by its role
(function, queue, schedule, ...) and carries the evidence (rule id and
locations) it was drafted from. Names are logical ids: ASCII letters and
digits, unique inside their template; lists are sorted when built.

Lifecycle: `stages.draft.draft(report)` builds it once from the finished
report; `render.sam_template.render_sam(infrastructure)` turns it into files.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from migrate_scan.model.report import Evidence


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Drafted(_Model):
    """What every drafted resource carries: its logical id, its evidence and a note for the reviewer."""

    name: str = Field(description="Logical id, unique in its template (letters and digits).")
    evidence: list[Evidence] = Field(default_factory=list)
    note: str = Field(default="", description="What the draft decided and what a human must still check.")


class HttpRoute(_Model):
    """One API Gateway method: a route of the monolith in API Gateway path syntax."""

    method: str = Field(description="GET, POST, ... or ANY.")
    path: str = Field(description="API Gateway path: `/orders/{order_id}`, no trailing slash but on `/`.")
    source_path: str = Field(description="The route path as the report gives it.")
    handler: str = Field(description="Symbol of the view it serves.")
    authorized: bool = Field(default=False, description="The view checks its caller: the method takes the authorizer.")


class Dispatch(_Model):
    """What a function's adapter calls for one kind of message: a task name, an event name or a route key."""

    key: str = Field(description="The registered task name, the event's name, or the WebSocket route key.")
    target: str = Field(description="Symbol of the task, receiver or handler it calls.")


class Function(Drafted):
    """A Lambda function: an HTTP entry, a queue consumer, an event receiver or a WebSocket handler."""

    role: Literal["http", "consumer", "receiver", "websocket"]
    module: str = Field(description="The module of the monolith whose code it runs.")
    targets: list[str] = Field(default_factory=list, description="Symbols it dispatches to (views, tasks, ...).")
    timeout: int = Field(ge=1, le=900, description="Seconds.")
    memory: int = Field(default=512, ge=128, le=10240, description="MB.")
    routes: list[HttpRoute] = Field(default_factory=list, description="http: the API methods it serves.")
    queue: str | None = Field(default=None, description="consumer: the logical id of the queue it reads.")
    batch_size: int = Field(default=1, description="consumer: SQS messages per invocation.")
    subscriptions: list[str] = Field(default_factory=list, description="receiver: logical ids of the topics.")
    dispatch: list[Dispatch] = Field(
        default_factory=list, description="consumer, receiver, websocket: what its adapter calls, by message."
    )
    inboxes: list[str] = Field(
        default_factory=list, description="receiver: logical ids of the queues that carry its SNS topics' messages."
    )


class Queue(Drafted):
    """An SQS queue with its dead-letter queue: one task group (same module, time limit and retries)."""

    tasks: list[str] = Field(description="Registered task names it carries.")
    topic: str | None = Field(default=None, description="An SNS topic's subscription queue: the topic's logical id.")
    dead_letter: str = Field(description="Logical id of its dead-letter queue.")
    max_receive_count: int = Field(ge=1, description="Deliveries before a message moves to the dead-letter queue.")
    visibility_timeout: int = Field(ge=0, le=43200, description="Seconds: six times the consumer's timeout.")
    consumer: Literal["lambda", "fargate"] = Field(description="Who reads it.")


class Schedule(Drafted):
    """An EventBridge Scheduler schedule that sends a task message to its queue."""

    expression: str | None = Field(description="`cron(...)` or `rate(...)`; None when not convertible exactly.")
    source: str = Field(description="The schedule as the report gives it.")
    timezone: str = "UTC"
    task: str = Field(description="Registered name of the task it runs.")
    queue: str | None = Field(default=None, description="Logical id of the task's queue.")


class Topic(Drafted):
    """A fan-out point for an in-process event with several receivers: an SNS topic or an EventBridge rule."""

    kind: Literal["sns", "eventbridge"]
    signal: str
    sender: str | None = None
    receivers: list[str] = Field(description="Receiver symbols.")
    contexts: list[str] = Field(description="Contexts that receive it.")
    detail_type: str = Field(description="The event name publishers use (EventBridge detail-type, SNS attribute).")


class WebSocketRoute(_Model):
    """One route of a WebSocket API."""

    route_key: str = Field(description="`$connect`, `$disconnect`, `$default` or the event's name.")
    handlers: list[str] = Field(description="Handler symbols it reaches.")
    paths: list[str] = Field(default_factory=list, description="Socket.IO namespaces or Channels paths.")


class WebSocketApi(Drafted):
    """An API Gateway WebSocket API, its handler function and its connections table."""

    function: str = Field(description="Logical id of the handler function.")
    routes: list[WebSocketRoute]
    table: str = Field(description="Logical id of the connections table.")


class TaskState(_Model):
    """A Task state: runs one Celery task."""

    kind: Literal["task"] = "task"
    task: str = Field(description="Registered task name.")
    function: str | None = Field(description="Logical id of the consumer function in the same template, if any.")
    queue: str | None = Field(default=None, description="Logical id of the task's queue when no function runs it.")
    context: str = Field(description="Context that owns the task.")
    max_retries: int | None = None
    timeout: int | None = None
    wait_for_token: bool = False


class ParallelState(_Model):
    """A Parallel state: each branch is a sequence of states."""

    kind: Literal["parallel"] = "parallel"
    branches: list[list[State]]


class MapState(_Model):
    """A Map state: the same sequence for each item of a list (a group built from a loop)."""

    kind: Literal["map"] = "map"
    iterator: list[State]


State = TaskState | ParallelState | MapState


class StateMachine(Drafted):
    """A Step Functions state machine for one Celery canvas workflow."""

    workflow: str = Field(description="Symbol of the function that builds the canvas.")
    type: Literal["STANDARD", "EXPRESS"]
    states: list[State] = Field(description="The top-level sequence of states.")


class FargateTask(Drafted):
    """An ECS Fargate task definition placeholder for work that stays off Lambda."""

    modules: list[str]
    reasons: list[str]


class Alarm(Drafted):
    """A CloudWatch alarm from the seed's observability checklist."""

    kind: Literal[
        "lambda-error-rate", "dlq-depth", "state-machine-failure-rate", "dynamodb-throttles", "api-latency-p99"
    ]
    target: str = Field(description="Logical id of the function, dead-letter queue, state machine or table watched.")
    threshold: float = Field(
        description="Percent for rates, messages for queue depth, events for throttles, milliseconds for latency."
    )


class LogQuery(_Model):
    """A CloudWatch Logs Insights query definition from the seed, over the log groups of some resources."""

    name: str = Field(description="Logical id.")
    kind: Literal["lambda-errors", "api-slow-requests", "state-machine-failures"]
    targets: list[str] = Field(description="Logical ids of the functions, APIs or state machines whose logs it reads.")


class TableIndex(_Model):
    """A global secondary index: a query by `partition_key`, sorted by `sort_key`."""

    name: str
    partition_key: str
    sort_key: str | None = None


class Table(Drafted):
    """A DynamoDB table for one model the context owns, keyed and indexed by the code's access patterns."""

    model: str = Field(description="Symbol of the model.")
    partition_key: str = Field(default="id", description="The model's primary key.")
    indexes: list[TableIndex] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list, description="The access patterns it serves, in words.")


class Database(Drafted):
    """Aurora Serverless v2 behind RDS Proxy: the relational option for a context whose queries join its models."""

    models: list[str] = Field(description="Symbols of the models whose tables it holds.")
    joins: list[str] = Field(description="The joins that decided it, in words with their places.")


class Authorizer(Drafted):
    """An API authorizer placeholder for the methods whose views check their caller."""

    methods: int = Field(ge=1, description="API methods it protects.")


class ContextInfrastructure(_Model):
    """One context's template: what it deploys."""

    context: str
    kind: Literal["business", "shared-kernel", "app-shell", "tests"]
    pattern: int | None = None
    stage: int | None = None
    api: str | None = Field(default=None, description="Logical id of its REST API, when it serves routes.")
    authorizer: Authorizer | None = Field(default=None, description="Its API's authorizer, when a view checks callers.")
    functions: list[Function] = Field(default_factory=list)
    queues: list[Queue] = Field(default_factory=list)
    schedules: list[Schedule] = Field(default_factory=list)
    websockets: list[WebSocketApi] = Field(default_factory=list)
    state_machines: list[StateMachine] = Field(default_factory=list)
    fargate: list[FargateTask] = Field(default_factory=list)
    alarms: list[Alarm] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list, description="DynamoDB tables for the models it owns.")
    database: Database | None = Field(default=None, description="The relational option, chosen instead of tables.")
    dashboard: str | None = Field(default=None, description="Logical id of its CloudWatch dashboard.")
    queries: list[LogQuery] = Field(default_factory=list)
    decisions: list[str] = Field(default_factory=list, description="What a human must still decide, in words.")


class SharedInfrastructure(_Model):
    """The shared template: fan-out topics and the event bus, and the shared kernel as a Lambda layer."""

    topics: list[Topic] = Field(default_factory=list)
    event_bus: str | None = Field(default=None, description="Logical id of the custom bus, when a rule needs it.")
    layer_modules: list[str] = Field(default_factory=list, description="Shared-kernel modules in the layer.")
    decisions: list[str] = Field(default_factory=list)


class EntryPoint(Drafted):
    """The monolith's WSGI or ASGI entry module, which the HTTP adapters serve the routes through."""

    module: str
    kind: Literal["wsgi", "asgi"]


class Infrastructure(_Model):
    """The whole draft: one entry per context that deploys something, and the shared part."""

    project: str
    prefix: str = Field(description="Default stack prefix: export names are `<prefix>-<context>-<id>`.")
    contexts: list[ContextInfrastructure] = Field(default_factory=list)
    shared: SharedInfrastructure = Field(default_factory=SharedInfrastructure)
    entry: EntryPoint | None = Field(default=None, description="The entry module the HTTP adapters import.")


ParallelState.model_rebuild()
MapState.model_rebuild()
StateMachine.model_rebuild()
