"""SAM templates from the draft: `Infrastructure` → {file name: text}, one template per context, a shared one, a README.

Pure: no IO and no analysis; every value comes from the model. The mapping
of each drafted kind to CloudFormation/SAM resources lives here and only here:

    Function       AWS::Serverless::Function (X-Ray Active; events: Api, SQS, SNS, EventBridgeRule)
    REST API       AWS::Serverless::Api (TracingEnabled; Cognito authorizer placeholder on checked views)
    Queue          AWS::SQS::Queue + its dead-letter AWS::SQS::Queue (RedrivePolicy)
    Schedule       AWS::Scheduler::Schedule sending `{"task": name}` to the queue, one IAM role per template
    Topic          AWS::SNS::Topic, or rules on one AWS::Events::EventBus (shared template)
    WebSocketApi   AWS::ApiGatewayV2 Api/Integration/Route/Deployment/Stage, Lambda permission, DynamoDB table
    StateMachine   AWS::Serverless::StateMachine with its Amazon States Language definition (tracing on)
    FargateTask    AWS::ECS::TaskDefinition placeholder
    Alarm          AWS::CloudWatch::Alarm (error rate by metric math, dead-letter depth, failure rate, p99 latency)
    dashboard      AWS::CloudWatch::Dashboard per context (the seed's widgets)
    LogQuery       AWS::Logs::QueryDefinition (the seed's Logs Insights queries) over AWS::Logs::LogGroup per
                   function (JSON logs), API (access log) and state machine (execution errors)

Cross-template references go through exports named `<StackPrefix>-<Context>-<Id>`.
Every resource carries `Metadata.MigrateScan`: evidence as `file:line` by rule, and the draft's note.
"""

from __future__ import annotations

import json
import re
from typing import cast

from migrate_scan.model.infrastructure import (
    Alarm,
    ContextInfrastructure,
    Database,
    Drafted,
    FargateTask,
    Function,
    Infrastructure,
    LogQuery,
    MapState,
    ParallelState,
    Queue,
    Schedule,
    State,
    StateMachine,
    Table,
    TaskState,
    Topic,
    WebSocketApi,
)
from migrate_scan.render.handler_adapters import adapter_module_name, render_adapters
from migrate_scan.render.sam_links import context_template, counts_text, resource_counts
from migrate_scan.render.yaml_text import Node, dump_yaml

RUNTIME = "python3.12"
SHARED = "shared"
CELERY_RETRY_DELAY = 180  # Celery's default_retry_delay, seconds
LOG_RETENTION_DAYS = 30
API_STAGE = "api"
# API Gateway access log fields, named as the seed's slow-request query reads them (requestTime in ms)
ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "httpMethod": "$context.httpMethod",
    "resourcePath": "$context.resourcePath",
    "status": "$context.status",
    "requestTime": "$context.responseLatency",
}
_ALNUM = re.compile(r"[^A-Za-z0-9]")
_EXECUTE_API = "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/*"

__all__ = ["render_sam", "state_machine_definition"]


def render_sam(infrastructure: Infrastructure) -> dict[str, str]:
    """Every file of the `--emit-sam` folder, by relative name, as text."""
    files = {f"{SHARED}.yaml": dump_yaml(_shared_template(infrastructure))}
    for context in infrastructure.contexts:
        files[f"{_file_stem(context.context)}.yaml"] = dump_yaml(_context_template(infrastructure, context))
    files["README.md"] = _readme(infrastructure)
    files.update(render_adapters(infrastructure))
    return dict(sorted(files.items()))


def _file_stem(context: str) -> str:
    return context_template(context).removesuffix(".yaml")


def _export(context: str, name: str) -> Node:
    return {"Fn::Sub": f"${{StackPrefix}}-{_ALNUM.sub('', context) or 'Context'}-{name}"}


def _import(context: str, name: str) -> Node:
    return {"Fn::ImportValue": _export(context, name)}


def _metadata(resource: Drafted, **extra: Node) -> Node:
    entry: dict[str, Node] = {
        "Evidence": [
            {"Rule": e.rule, "Locations": [f"{x.file}:{x.line}" for x in e.locations]} for e in resource.evidence
        ]
    }
    if resource.note:
        entry["Note"] = resource.note
    entry.update(extra)
    return {"MigrateScan": entry}


def _header(description: str, prefix: str) -> dict[str, Node]:
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Description": description,
        "Parameters": {
            "StackPrefix": {
                "Type": "String",
                "Default": prefix,
                "AllowedPattern": "[A-Za-z0-9-]+",
                "Description": "Prefix of every export; the same in all templates of this draft.",
            }
        },
    }


# -- shared template -------------------------------------------------------------------------------------------


def _shared_template(infrastructure: Infrastructure) -> Node:
    shared = infrastructure.shared
    template = _header(
        f"migrate-scan draft for {infrastructure.project}: what the contexts share (topics, event bus, layer).",
        infrastructure.prefix,
    )
    template["Metadata"] = {"MigrateScan": {"Decisions": list(shared.decisions)}}
    resources: dict[str, Node] = {}
    outputs: dict[str, Node] = {}
    if shared.layer_modules:
        resources["SharedKernelLayer"] = {
            "Type": "AWS::Serverless::LayerVersion",
            "Metadata": {"MigrateScan": {"Modules": list(shared.layer_modules)}},
            "Properties": {"ContentUri": "layer/", "CompatibleRuntimes": [RUNTIME]},
        }
        outputs["SharedKernelLayer"] = {
            "Value": {"Ref": "SharedKernelLayer"},
            "Export": {"Name": _export(SHARED, "SharedKernelLayer")},
        }
    if shared.event_bus is not None:
        routed = [t for t in shared.topics if t.kind == "eventbridge"]
        resources[shared.event_bus] = {
            "Type": "AWS::Events::EventBus",
            "Metadata": {"MigrateScan": {"Events": [t.detail_type for t in routed]}},
            "Properties": {"Name": {"Fn::Sub": "${StackPrefix}-events"}},
        }
        outputs[shared.event_bus] = {
            "Value": {"Ref": shared.event_bus},
            "Export": {"Name": _export(SHARED, shared.event_bus)},
        }
    for topic in shared.topics:
        if topic.kind != "sns":
            continue
        resources[topic.name] = {
            "Type": "AWS::SNS::Topic",
            "Metadata": _metadata(topic, Event=topic.detail_type, Receivers=list(topic.receivers)),
            "Properties": {"KmsMasterKeyId": "alias/aws/sns"},
        }
        outputs[topic.name] = {"Value": {"Ref": topic.name}, "Export": {"Name": _export(SHARED, topic.name)}}
    if not resources:
        resources["DraftPlaceholder"] = {"Type": "AWS::CloudFormation::WaitConditionHandle", "Properties": {}}
    template["Resources"] = resources
    if outputs:
        template["Outputs"] = outputs
    return template


# -- context template ------------------------------------------------------------------------------------------


def _context_template(infrastructure: Infrastructure, context: ContextInfrastructure) -> Node:
    template = _header(
        f"migrate-scan draft for {infrastructure.project}, context {context.context}"
        + (f" (pattern {context.pattern}, stage {context.stage})" if context.pattern else "")
        + ".",
        infrastructure.prefix,
    )
    template["Metadata"] = {
        "MigrateScan": {"Context": context.context, "Kind": context.kind, "Decisions": list(context.decisions)}
    }
    if context.fargate:
        parameters = cast(dict[str, Node], template["Parameters"])  # as _header builds it
        parameters["ContainerImage"] = {
            "Type": "String",
            "Description": "Image of the monolith for the Fargate task definitions (a human provides it).",
        }
    topics = {t.name: t for t in infrastructure.shared.topics}
    globals_function: dict[str, Node] = {"Runtime": RUNTIME, "Tracing": "Active", "CodeUri": "app/"}
    if infrastructure.shared.layer_modules:
        globals_function["Layers"] = [_import(SHARED, "SharedKernelLayer")]
    template["Globals"] = {"Function": globals_function}
    resources: dict[str, Node] = {}
    outputs: dict[str, Node] = {}
    if context.api is not None:
        resources[context.api] = _api(context, cast(dict[str, Node], template["Parameters"]))
    for function in context.functions:
        resources[function.name] = _function(context, function, topics, infrastructure.shared.event_bus)
        resources[f"{function.name}LogGroup"] = _log_group(f"Logs of {function.name} (JSON lines).")
        outputs[f"{function.name}Arn"] = {
            "Value": {"Fn::GetAtt": [function.name, "Arn"]},
            "Export": {"Name": _export(context.context, f"{function.name}Arn")},
        }
    for queue in context.queues:
        resources.update(_queue(queue))
        outputs[f"{queue.name}Url"] = {
            "Value": {"Ref": queue.name},
            "Export": {"Name": _export(context.context, f"{queue.name}Url")},
        }
        outputs[f"{queue.name}Arn"] = {
            "Value": {"Fn::GetAtt": [queue.name, "Arn"]},
            "Export": {"Name": _export(context.context, f"{queue.name}Arn")},
        }
    if context.schedules:
        resources.update(_schedules(context.schedules))
    for socket in context.websockets:
        resources.update(_websocket(socket))
    for machine in context.state_machines:
        resources[machine.name] = _state_machine(context, machine)
        resources[f"{machine.name}Logs"] = _log_group(f"Execution errors of {machine.name}.")
    for task in context.fargate:
        resources[task.name] = _fargate(task)
    for table in context.tables:
        resources[table.name] = _table(table)
    if context.database is not None:
        parameters = cast(dict[str, Node], template["Parameters"])  # as _header builds it
        parameters["DatabaseSubnetIds"] = {
            "Type": "List<AWS::EC2::Subnet::Id>",
            "Description": "Private subnets (two zones or more) for the Aurora cluster and its RDS Proxy.",
        }
        parameters["DatabaseSecurityGroupIds"] = {
            "Type": "List<AWS::EC2::SecurityGroup::Id>",
            "Description": "Security groups of the cluster and the proxy (the functions' groups must reach them).",
        }
        resources.update(_database(context.database))
    for alarm in context.alarms:
        resources[alarm.name] = _alarm(alarm)
    if context.api is not None:
        resources[f"{context.api}AccessLogs"] = _log_group(f"Access log of {context.api}.")
    if context.dashboard is not None:
        resources[context.dashboard] = _dashboard(context)
    for query in context.queries:
        resources[query.name] = _query(query)
    if not resources:
        resources["DraftPlaceholder"] = {"Type": "AWS::CloudFormation::WaitConditionHandle", "Properties": {}}
    template["Resources"] = resources
    if outputs:
        template["Outputs"] = outputs
    return template


def _api_name(api: str) -> Node:
    return {"Fn::Sub": f"${{AWS::StackName}}-{api}"}


def _log_group(note: str) -> Node:
    return {
        "Type": "AWS::Logs::LogGroup",
        "Metadata": {"MigrateScan": {"Note": note}},
        "Properties": {"RetentionInDays": LOG_RETENTION_DAYS},
    }


def _api(context: ContextInfrastructure, parameters: dict[str, Node]) -> Node:
    """The context's REST API; with an authorizer placeholder when some view checks its caller."""
    http = [f.name for f in context.functions if f.role == "http"]
    properties: dict[str, Node] = {
        "Name": _api_name(context.api or ""),
        "StageName": API_STAGE,
        "TracingEnabled": True,
        "AccessLogSetting": {
            "DestinationArn": {"Fn::GetAtt": [f"{context.api}AccessLogs", "Arn"]},
            "Format": json.dumps(ACCESS_LOG_FORMAT),
        },
    }
    metadata: Node = {"MigrateScan": {"Functions": list(http)}}
    authorizer = context.authorizer
    if authorizer is not None:
        parameters["UserPoolArn"] = {
            "Type": "String",
            "Description": "ARN of the Cognito user pool behind the authorizer placeholder (a human decides it).",
        }
        properties["Auth"] = {"Authorizers": {authorizer.name: {"UserPoolArn": {"Ref": "UserPoolArn"}}}}
        metadata = _metadata(authorizer, Functions=list(http), ProtectedMethods=authorizer.methods)
    return {"Type": "AWS::Serverless::Api", "Metadata": metadata, "Properties": properties}


def _function(
    context: ContextInfrastructure, function: Function, topics: dict[str, Topic], event_bus: str | None
) -> Node:
    events: dict[str, Node] = {}
    properties: dict[str, Node] = {
        "Handler": f"adapters.{adapter_module_name(function.name)}.handler",
        "Timeout": function.timeout,
        "MemorySize": function.memory,
        "LoggingConfig": {"LogFormat": "JSON", "LogGroup": {"Ref": f"{function.name}LogGroup"}},
    }
    if function.role == "http":
        for route in function.routes:
            key = _event_key(events, f"{route.method.title()}{_camel_path(route.path)}")
            api_event: dict[str, Node] = {
                "RestApiId": {"Ref": context.api},
                "Path": route.path,
                "Method": route.method.lower(),
            }
            if route.authorized and context.authorizer is not None:
                api_event["Auth"] = {"Authorizer": context.authorizer.name}
            events[key] = {"Type": "Api", "Properties": api_event}
    elif function.role == "consumer" and function.queue is not None:
        events["Queue"] = {
            "Type": "SQS",
            "Properties": {"Queue": {"Fn::GetAtt": [function.queue, "Arn"]}, "BatchSize": function.batch_size},
        }
    elif function.role == "receiver":
        for name in function.subscriptions:
            topic = topics[name]
            inbox = next((q for q in context.queues if q.topic == name and q.name in function.inboxes), None)
            if topic.kind == "sns" and inbox is not None:
                events[_event_key(events, name)] = {
                    "Type": "SNS",
                    "Properties": {
                        "Topic": _import(SHARED, name),
                        "SqsSubscription": {
                            "QueueArn": {"Fn::GetAtt": [inbox.name, "Arn"]},
                            "QueueUrl": {"Ref": inbox.name},
                            "BatchSize": function.batch_size,
                        },
                    },
                }
            elif event_bus is not None:
                events[_event_key(events, name)] = {
                    "Type": "EventBridgeRule",
                    "Properties": {
                        "EventBusName": _import(SHARED, event_bus),
                        "Pattern": {"detail-type": [topic.detail_type]},
                        "RetryPolicy": {"MaximumRetryAttempts": 3},
                        "DeadLetterConfig": {"Type": "SQS"},
                    },
                }
    elif function.role == "websocket":
        socket = next(w for w in context.websockets if w.function == function.name)
        properties["Environment"] = {"Variables": {"CONNECTIONS_TABLE": {"Ref": socket.table}}}
        properties["Policies"] = [
            {"DynamoDBCrudPolicy": {"TableName": {"Ref": socket.table}}},
            {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "execute-api:ManageConnections",
                        "Resource": {"Fn::Sub": _EXECUTE_API.format(api=socket.name)},
                    }
                ]
            },
        ]
    if events:
        properties["Events"] = events
    return {
        "Type": "AWS::Serverless::Function",
        "Metadata": _metadata(function, Module=function.module, Targets=list(function.targets)),
        "Properties": properties,
    }


def _event_key(events: dict[str, Node], text: str) -> str:
    base = _ALNUM.sub("", text)[:200] or "Event"
    key, number = base, 1
    while key in events:
        number += 1
        key = f"{base}{number}"
    return key


def _camel_path(path: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", path)
    return "".join(w[:1].upper() + w[1:] for w in words) or "Root"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _queue(queue: Queue) -> dict[str, Node]:
    return {
        queue.name: {
            "Type": "AWS::SQS::Queue",
            "Metadata": _metadata(queue, Tasks=list(queue.tasks), Consumer=queue.consumer)
            if queue.topic is None
            else _metadata(queue, Topic=queue.topic, Consumer=queue.consumer),
            "Properties": {
                "VisibilityTimeout": queue.visibility_timeout,
                "SqsManagedSseEnabled": True,
                "RedrivePolicy": {
                    "deadLetterTargetArn": {"Fn::GetAtt": [queue.dead_letter, "Arn"]},
                    "maxReceiveCount": queue.max_receive_count,
                },
            },
        },
        queue.dead_letter: {
            "Type": "AWS::SQS::Queue",
            "Metadata": {"MigrateScan": {"Note": f"Dead-letter queue of {queue.name}."}},
            "Properties": {"MessageRetentionPeriod": 1209600, "SqsManagedSseEnabled": True},
        },
    }


def _schedules(schedules: list[Schedule]) -> dict[str, Node]:
    queues = sorted({s.queue for s in schedules if s.queue is not None})
    resources: dict[str, Node] = {
        "SchedulerRole": {
            "Type": "AWS::IAM::Role",
            "Metadata": {"MigrateScan": {"Note": "Lets EventBridge Scheduler send task messages to the queues."}},
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "scheduler.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
                "Policies": [
                    {
                        "PolicyName": "SendTaskMessages",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": "sqs:SendMessage",
                                    "Resource": [{"Fn::GetAtt": [q, "Arn"]} for q in queues],
                                }
                            ],
                        },
                    }
                ],
            },
        }
    }
    for schedule in schedules:
        if schedule.expression is None or schedule.queue is None:
            continue
        resources[schedule.name] = {
            "Type": "AWS::Scheduler::Schedule",
            "Metadata": _metadata(schedule, Source=schedule.source),
            "Properties": {
                "ScheduleExpression": schedule.expression,
                "ScheduleExpressionTimezone": schedule.timezone,
                "FlexibleTimeWindow": {"Mode": "OFF"},
                "Target": {
                    "Arn": {"Fn::GetAtt": [schedule.queue, "Arn"]},
                    "RoleArn": {"Fn::GetAtt": ["SchedulerRole", "Arn"]},
                    "Input": json.dumps({"task": schedule.task}, sort_keys=True),
                },
            },
        }
    return resources


def _websocket(socket: WebSocketApi) -> dict[str, Node]:
    api, function = socket.name, socket.function
    integration, deployment = f"{api}Integration", f"{api}Deployment"
    resources: dict[str, Node] = {
        api: {
            "Type": "AWS::ApiGatewayV2::Api",
            "Metadata": _metadata(socket, Routes={r.route_key: list(r.handlers) for r in socket.routes}),
            "Properties": {
                "Name": {"Fn::Sub": f"${{StackPrefix}}-{api}"},
                "ProtocolType": "WEBSOCKET",
                "RouteSelectionExpression": "$request.body.action",
            },
        },
        integration: {
            "Type": "AWS::ApiGatewayV2::Integration",
            "Properties": {
                "ApiId": {"Ref": api},
                "IntegrationType": "AWS_PROXY",
                "IntegrationUri": {
                    "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
                    + f"${{{function}.Arn}}/invocations"
                },
            },
        },
    }
    route_ids: list[Node] = []
    for route in socket.routes:
        route_id = f"{api}Route{_ALNUM.sub('', route.route_key.title()) or 'Default'}"
        route_ids.append(route_id)
        resources[route_id] = {
            "Type": "AWS::ApiGatewayV2::Route",
            "Metadata": {"MigrateScan": {"Handlers": list(route.handlers), "Paths": list(route.paths)}},
            "Properties": {
                "ApiId": {"Ref": api},
                "RouteKey": route.route_key,
                "Target": {"Fn::Sub": f"integrations/${{{integration}}}"},
            },
        }
    resources[deployment] = {
        "Type": "AWS::ApiGatewayV2::Deployment",
        "DependsOn": route_ids,
        "Properties": {"ApiId": {"Ref": api}},
    }
    resources[f"{api}Stage"] = {
        "Type": "AWS::ApiGatewayV2::Stage",
        "Properties": {"ApiId": {"Ref": api}, "StageName": "ws", "DeploymentId": {"Ref": deployment}},
    }
    resources[f"{api}Permission"] = {
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Ref": function},
            "Principal": "apigateway.amazonaws.com",
            "SourceArn": {"Fn::Sub": _EXECUTE_API.format(api=api)},
        },
    }
    resources[socket.table] = {
        "Type": "AWS::DynamoDB::Table",
        "Metadata": {"MigrateScan": {"Note": "Connection ids of the WebSocket API (the seed's pattern 2)."}},
        "Properties": {
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "connectionId", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "connectionId", "KeyType": "HASH"}],
            "TimeToLiveSpecification": {"AttributeName": "expiresAt", "Enabled": True},
        },
    }
    return resources


# -- state machines ------------------------------------------------------------------------------------------------


def _state_machine(context: ContextInfrastructure, machine: StateMachine) -> Node:
    substitutions: dict[str, Node] = {}
    policies: list[Node] = []
    for task in _tasks(machine.states):
        key = _substitution(task)
        if key in substitutions:
            continue
        local = task.context == context.context
        if task.function is not None:
            arn: Node = (
                {"Fn::GetAtt": [task.function, "Arn"]} if local else _import(task.context, f"{task.function}Arn")
            )
            substitutions[key] = arn
            policies.append({"Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": arn}]})
        elif task.queue is not None:
            substitutions[key] = {"Ref": task.queue} if local else _import(task.context, f"{task.queue}Url")
            queue_arn: Node = (
                {"Fn::GetAtt": [task.queue, "Arn"]} if local else _import(task.context, f"{task.queue}Arn")
            )
            policies.append({"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue_arn}]})
    policies.append({"Statement": [{"Effect": "Allow", "Action": _LOG_DELIVERY, "Resource": "*"}]})
    return {
        "Type": "AWS::Serverless::StateMachine",
        "Metadata": _metadata(machine, Workflow=machine.workflow),
        "Properties": {
            "Type": machine.type,
            "Tracing": {"Enabled": True},
            "Logging": {
                "Level": "ERROR",
                "IncludeExecutionData": False,
                "Destinations": [
                    {"CloudWatchLogsLogGroup": {"LogGroupArn": {"Fn::GetAtt": [f"{machine.name}Logs", "Arn"]}}}
                ],
            },
            "Definition": state_machine_definition(machine),
            "DefinitionSubstitutions": substitutions,
            "Policies": policies,
        },
    }


_LOG_DELIVERY: Node = [
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
]


def _tasks(states: list[State]) -> list[TaskState]:
    found: list[TaskState] = []
    for state in states:
        if isinstance(state, TaskState):
            found.append(state)
        elif isinstance(state, ParallelState):
            for branch in state.branches:
                found += _tasks(branch)
        else:
            found += _tasks(state.iterator)
    return found


def _substitution(task: TaskState) -> str:
    return _ALNUM.sub("", f"{task.context}{task.function or task.queue}")


def state_machine_definition(machine: StateMachine) -> dict[str, Node]:
    """The Amazon States Language document of a drafted state machine (task ARNs as `${...}` substitutions)."""
    names: set[str] = set()
    document = _sequence(machine.states, names)
    return {"Comment": f"Celery canvas {machine.workflow}", **document}


def _sequence(states: list[State], names: set[str]) -> dict[str, Node]:
    named = [(_state_name(state, names), state) for state in states]
    body: dict[str, Node] = {}
    for index, (name, state) in enumerate(named):
        entry = _state(state, names)
        if index + 1 < len(named):
            entry["Next"] = named[index + 1][0]
        else:
            entry["End"] = True
        body[name] = entry
    return {"StartAt": named[0][0], "States": body}


def _state_name(state: State, names: set[str]) -> str:
    if isinstance(state, TaskState):
        base = state.task.rpartition(".")[2] or state.task
    elif isinstance(state, ParallelState):
        base = "Parallel"
    else:
        base = "Map"
    base = base[:70]
    name, number = base, 1
    while name in names:
        number += 1
        name = f"{base} {number}"
    names.add(name)
    return name


def _state(state: State, names: set[str]) -> dict[str, Node]:
    if isinstance(state, ParallelState):
        return {"Type": "Parallel", "Branches": [_sequence(branch, names) for branch in state.branches]}
    if isinstance(state, MapState):
        return {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, **_sequence(state.iterator, names)},
        }
    return _task(state)


def _task(task: TaskState) -> dict[str, Node]:
    reference = "${" + _substitution(task) + "}"
    entry: dict[str, Node]
    if task.function is not None and task.wait_for_token:  # a person answers: SendTaskSuccess with the token
        entry = {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {
                "FunctionName": reference,
                "Payload": {"task": task.task, "input.$": "$", "taskToken.$": "$$.Task.Token"},
            },
        }
    elif task.function is not None:
        entry = {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": reference, "Payload": {"task": task.task, "input.$": "$"}},
            "OutputPath": "$.Payload",
        }
    else:  # a Fargate worker reads the queue and reports back with the token
        entry = {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {
                "QueueUrl": reference,
                "MessageBody": {"task": task.task, "input.$": "$", "taskToken.$": "$$.Task.Token"},
            },
        }
    if task.timeout is not None:
        entry["TimeoutSeconds"] = task.timeout
    if task.max_retries:
        entry["Retry"] = [
            {
                "ErrorEquals": ["States.ALL"],
                "IntervalSeconds": CELERY_RETRY_DELAY,
                "MaxAttempts": task.max_retries,
                "BackoffRate": 1.0,
            }
        ]
    return entry


# -- data stores ----------------------------------------------------------------------------------------------------


def _table(table: Table) -> Node:
    attributes = sorted({table.partition_key} | {k for i in table.indexes for k in (i.partition_key, i.sort_key) if k})
    properties: dict[str, Node] = {
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": name, "AttributeType": "S"} for name in attributes],
        "KeySchema": [{"AttributeName": table.partition_key, "KeyType": "HASH"}],
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "SSESpecification": {"SSEEnabled": True},
    }
    if table.indexes:
        properties["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": _key_schema(index.partition_key, index.sort_key),
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in table.indexes
        ]
    return {
        "Type": "AWS::DynamoDB::Table",
        "Metadata": _metadata(table, Model=table.model, AccessPatterns=list(table.patterns)),
        "Properties": properties,
    }


def _key_schema(partition: str, sort: str | None) -> Node:
    schema: list[Node] = [{"AttributeName": partition, "KeyType": "HASH"}]
    if sort:
        schema.append({"AttributeName": sort, "KeyType": "RANGE"})
    return schema


def _database(database: Database) -> dict[str, Node]:
    """Aurora Serverless v2 (PostgreSQL) with its secret, subnet group, instance, and an RDS Proxy in front."""
    name = database.name
    secret, subnets, instance = f"{name}Secret", f"{name}SubnetGroup", f"{name}Instance"
    proxy, proxy_role, targets = f"{name}Proxy", f"{name}ProxyRole", f"{name}ProxyTargets"
    resolve = "{{{{resolve:secretsmanager:${{{secret}}}:SecretString:{key}}}}}"
    return {
        secret: {
            "Type": "AWS::SecretsManager::Secret",
            "Metadata": {"MigrateScan": {"Note": "Credentials of the cluster, read by the proxy."}},
            "Properties": {
                "GenerateSecretString": {
                    "SecretStringTemplate": json.dumps({"username": "app"}),
                    "GenerateStringKey": "password",
                    "ExcludePunctuation": True,
                    "PasswordLength": 32,
                }
            },
        },
        subnets: {
            "Type": "AWS::RDS::DBSubnetGroup",
            "Properties": {
                "DBSubnetGroupDescription": f"Subnets of {name}",
                "SubnetIds": {"Ref": "DatabaseSubnetIds"},
            },
        },
        name: {
            "Type": "AWS::RDS::DBCluster",
            "DeletionPolicy": "Snapshot",
            "UpdateReplacePolicy": "Snapshot",
            "Metadata": _metadata(database, Models=list(database.models), Joins=list(database.joins)),
            "Properties": {
                "Engine": "aurora-postgresql",
                "MasterUsername": {"Fn::Sub": resolve.format(secret=secret, key="username")},
                "MasterUserPassword": {"Fn::Sub": resolve.format(secret=secret, key="password")},
                "DBSubnetGroupName": {"Ref": subnets},
                "VpcSecurityGroupIds": {"Ref": "DatabaseSecurityGroupIds"},
                "StorageEncrypted": True,
                "ServerlessV2ScalingConfiguration": {"MinCapacity": 0.5, "MaxCapacity": 8},
            },
        },
        instance: {
            "Type": "AWS::RDS::DBInstance",
            "Properties": {
                "Engine": "aurora-postgresql",
                "DBInstanceClass": "db.serverless",
                "DBClusterIdentifier": {"Ref": name},
            },
        },
        proxy_role: {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Principal": {"Service": "rds.amazonaws.com"}, "Action": "sts:AssumeRole"}
                    ],
                },
                "Policies": [
                    {
                        "PolicyName": "ReadDatabaseSecret",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": "secretsmanager:GetSecretValue",
                                    "Resource": {"Ref": secret},
                                }
                            ],
                        },
                    }
                ],
            },
        },
        proxy: {
            "Type": "AWS::RDS::DBProxy",
            "Metadata": {"MigrateScan": {"Note": "Pools the functions' connections (many short-lived Lambdas)."}},
            "Properties": {
                "DBProxyName": {"Fn::Sub": f"${{AWS::StackName}}-{name}"[:60]},
                "EngineFamily": "POSTGRESQL",
                "RequireTLS": True,
                "RoleArn": {"Fn::GetAtt": [proxy_role, "Arn"]},
                "Auth": [{"AuthScheme": "SECRETS", "SecretArn": {"Ref": secret}, "IAMAuth": "DISABLED"}],
                "VpcSubnetIds": {"Ref": "DatabaseSubnetIds"},
                "VpcSecurityGroupIds": {"Ref": "DatabaseSecurityGroupIds"},
            },
        },
        targets: {
            "Type": "AWS::RDS::DBProxyTargetGroup",
            "DependsOn": [instance],
            "Properties": {
                "DBProxyName": {"Ref": proxy},
                "TargetGroupName": "default",
                "DBClusterIdentifiers": [{"Ref": name}],
            },
        },
    }


# -- Fargate and alarms ----------------------------------------------------------------------------------------------


def _fargate(task: FargateTask) -> Node:
    return {
        "Type": "AWS::ECS::TaskDefinition",
        "Metadata": _metadata(task, Modules=list(task.modules), Reasons=list(task.reasons)),
        "Properties": {
            "RequiresCompatibilities": ["FARGATE"],
            "NetworkMode": "awsvpc",
            "Cpu": "1024",
            "Memory": "2048",
            "ContainerDefinitions": [{"Name": "app", "Image": {"Ref": "ContainerImage"}, "Essential": True}],
        },
    }


def _alarm(alarm: Alarm) -> Node:
    properties: dict[str, Node] = {
        "AlarmDescription": _ALARM_TEXT[alarm.kind].format(target=alarm.target, threshold=f"{alarm.threshold:g}"),
        "ComparisonOperator": "GreaterThanThreshold",
        "Threshold": alarm.threshold,
        "EvaluationPeriods": 1,
        "TreatMissingData": "notBreaching",
    }
    dimension: Node
    if alarm.kind == "dlq-depth":
        properties.update(
            {
                "Namespace": "AWS/SQS",
                "MetricName": "ApproximateNumberOfMessagesVisible",
                "Dimensions": [{"Name": "QueueName", "Value": {"Fn::GetAtt": [alarm.target, "QueueName"]}}],
                "Statistic": "Maximum",
                "Period": 300,
            }
        )
    elif alarm.kind == "api-latency-p99":
        properties.update(
            {
                "Namespace": "AWS/ApiGateway",
                "MetricName": "Latency",
                "Dimensions": [
                    {"Name": "ApiName", "Value": _api_name(alarm.target)},
                    {"Name": "Stage", "Value": API_STAGE},
                ],
                "ExtendedStatistic": "p99",
                "Period": 300,
            }
        )
    elif alarm.kind == "dynamodb-throttles":
        dimension = [{"Name": "TableName", "Value": {"Ref": alarm.target}}]
        properties["Metrics"] = _sum_metrics("AWS/DynamoDB", ("ReadThrottleEvents", "WriteThrottleEvents"), dimension)
    elif alarm.kind == "lambda-error-rate":
        dimension = [{"Name": "FunctionName", "Value": {"Ref": alarm.target}}]
        properties["Metrics"] = _rate_metrics("AWS/Lambda", "Errors", "Invocations", dimension)
    else:
        dimension = [{"Name": "StateMachineArn", "Value": {"Ref": alarm.target}}]
        properties["Metrics"] = _rate_metrics("AWS/States", "ExecutionsFailed", "ExecutionsStarted", dimension)
    return {"Type": "AWS::CloudWatch::Alarm", "Metadata": _metadata(alarm), "Properties": properties}


_ALARM_TEXT = {
    "lambda-error-rate": "{target}: Lambda error rate above {threshold}% (the seed's alarm).",
    "dlq-depth": "{target}: a message in the dead-letter queue (above {threshold}).",
    "state-machine-failure-rate": "{target}: Step Functions failure rate above {threshold}%.",
    "dynamodb-throttles": "{target}: DynamoDB throttled reads or writes (above {threshold}).",
    "api-latency-p99": "{target}: API latency at p99 above {threshold} ms.",
}


def _sum_metrics(namespace: str, metrics: tuple[str, str], dimensions: Node) -> Node:
    """Two metrics summed by metric math (a missing one counts as 0)."""
    summed: list[Node] = [
        {
            "Id": f"m{index}",
            "MetricStat": {
                "Metric": {"Namespace": namespace, "MetricName": metric, "Dimensions": dimensions},
                "Period": 300,
                "Stat": "Sum",
            },
            "ReturnData": False,
        }
        for index, metric in enumerate(metrics)
    ]
    total: Node = {"Id": "total", "Expression": "FILL(m0, 0) + FILL(m1, 0)", "Label": "Throttled", "ReturnData": True}
    return [*summed, total]


def _rate_metrics(namespace: str, failed: str, total: str, dimensions: Node) -> Node:
    def stat(metric_id: str, metric: str) -> Node:
        return {
            "Id": metric_id,
            "MetricStat": {
                "Metric": {"Namespace": namespace, "MetricName": metric, "Dimensions": dimensions},
                "Period": 300,
                "Stat": "Sum",
            },
            "ReturnData": False,
        }

    return [
        stat("failed", failed),
        stat("total", total),
        {"Id": "rate", "Expression": "IF(total > 0, 100 * failed / total, 0)", "Label": "Percent", "ReturnData": True},
    ]


# -- dashboard and Logs Insights queries -----------------------------------------------------------------------------

_QUERIES = {
    "lambda-errors": 'fields @timestamp, @message\n| filter level = "ERROR"\n| sort @timestamp desc\n| limit 100',
    "api-slow-requests": "fields @timestamp, requestId, ip, requestTime\n| filter requestTime > 1000\n"
    "| sort requestTime desc\n| limit 20",
    "state-machine-failures": "fields @timestamp, execution_arn, details.cause\n"
    '| filter type = "ExecutionFailed"\n| sort @timestamp desc',
}
_QUERY_TITLES = {
    "lambda-errors": "lambda-errors",
    "api-slow-requests": "api-slow-requests",
    "state-machine-failures": "step-functions-failed-executions",
}
_LOG_GROUP_SUFFIX = {"lambda-errors": "LogGroup", "api-slow-requests": "AccessLogs", "state-machine-failures": "Logs"}


def _query(query: LogQuery) -> Node:
    """The seed's Logs Insights query as a saved query definition over the targets' log groups."""
    suffix = _LOG_GROUP_SUFFIX[query.kind]
    return {
        "Type": "AWS::Logs::QueryDefinition",
        "Metadata": {
            "MigrateScan": {"Note": "A Logs Insights query the seed prescribes.", "Targets": list(query.targets)}
        },
        "Properties": {
            "Name": {"Fn::Sub": f"${{AWS::StackName}}/{_QUERY_TITLES[query.kind]}"},
            "QueryString": _QUERIES[query.kind],
            "LogGroupNames": [{"Ref": f"{target}{suffix}"} for target in query.targets],
        },
    }


def _dashboard(context: ContextInfrastructure) -> Node:
    """The seed's dashboard for one context: Lambda, API, DynamoDB, SQS and Step Functions widgets."""
    widgets: list[tuple[str, str, list[Node]]] = []
    functions = [f.name for f in context.functions]
    if functions:
        widgets.append(
            (
                "Lambda invocations",
                "Sum",
                [["AWS/Lambda", "Invocations", "FunctionName", f"${{{f}}}"] for f in functions],
            )
        )
        widgets.append(
            ("Lambda errors", "Sum", [["AWS/Lambda", "Errors", "FunctionName", f"${{{f}}}"] for f in functions])
        )
    if context.api is not None:
        api: list[Node] = [
            "AWS/ApiGateway",
            "Latency",
            "ApiName",
            f"${{AWS::StackName}}-{context.api}",
            "Stage",
            API_STAGE,
        ]
        widgets.append(("API latency p50/p99", "p99", [[*api, {"stat": "p50"}], [*api, {"stat": "p99"}]]))
        errors = ["ApiName", f"${{AWS::StackName}}-{context.api}", "Stage", API_STAGE]
        widgets.append(
            ("API errors", "Sum", [["AWS/ApiGateway", "4XXError", *errors], ["AWS/ApiGateway", "5XXError", *errors]])
        )
    tables = [w.table for w in context.websockets] + [t.name for t in context.tables]
    if tables:
        used: list[Node] = []
        throttled: list[Node] = []
        for table in tables:
            for metric in ("ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits"):
                used.append(["AWS/DynamoDB", metric, "TableName", f"${{{table}}}"])
            for metric in ("ReadThrottleEvents", "WriteThrottleEvents"):
                throttled.append(["AWS/DynamoDB", metric, "TableName", f"${{{table}}}"])
        widgets.append(("DynamoDB read/write", "Sum", used))
        widgets.append(("DynamoDB throttles", "Sum", throttled))
    if context.queues:
        visible = "ApproximateNumberOfMessagesVisible"
        widgets.append(
            (
                "SQS messages",
                "Maximum",
                [["AWS/SQS", visible, "QueueName", f"${{{q.name}.QueueName}}"] for q in context.queues],
            )
        )
        widgets.append(
            (
                "DLQ depth",
                "Maximum",
                [["AWS/SQS", visible, "QueueName", f"${{{q.dead_letter}.QueueName}}"] for q in context.queues],
            )
        )
    if context.state_machines:
        metrics: list[Node] = [
            ["AWS/States", metric, "StateMachineArn", f"${{{m.name}}}"]
            for m in context.state_machines
            for metric in ("ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed")
        ]
        widgets.append(("Step Functions executions", "Sum", metrics))
    body = {
        "widgets": [
            {
                "type": "metric",
                "x": 12 * (index % 2),
                "y": 6 * (index // 2),
                "width": 12,
                "height": 6,
                "properties": {
                    "title": title,
                    "region": "${AWS::Region}",
                    "stat": stat,
                    "period": 300,
                    "view": "timeSeries",
                    "metrics": metrics_of,
                },
            }
            for index, (title, stat, metrics_of) in enumerate(widgets)
        ]
    }
    return {
        "Type": "AWS::CloudWatch::Dashboard",
        "Metadata": {"MigrateScan": {"Note": "The seed's dashboard: the metrics its alarms watch, per context."}},
        "Properties": {
            "DashboardName": {"Fn::Sub": f"${{AWS::StackName}}-{_ALNUM.sub('', context.context) or 'context'}"},
            "DashboardBody": {"Fn::Sub": json.dumps(body)},
        },
    }


# -- README ---------------------------------------------------------------------------------------------------------


def _readme(infrastructure: Infrastructure) -> str:
    lines = [
        f"# SAM draft for {infrastructure.project}",
        "",
        "Generated by `migrate-scan --emit-sam` from a static reading of the code: a first draft to review, "
        "lint (`cfn-lint *.yaml`) and deploy to a sandbox, not a finished design.",
        "",
        "## Files",
        "",
        f"- `{SHARED}.yaml`: what contexts share: SNS topics and the EventBridge bus for events with several "
        "receivers, the shared kernel as a Lambda layer (`layer/`). Deploy it first.",
    ]
    for context in infrastructure.contexts:
        summary = counts_text(resource_counts(context))
        lines.append(
            f"- `{_file_stem(context.context)}.yaml`: context `{context.context}` ({context.kind}"
            + (f", pattern {context.pattern}, stage {context.stage}" if context.pattern else "")
            + f"): {summary}."
        )
    lines += [
        "",
        "Every template takes `StackPrefix` (the same value for all of them): cross-template references are "
        "exports named `<StackPrefix>-<Context>-<Id>`.",
        "",
        "Deploy order: " + " → ".join(f"`{name}`" for name in _deploy_order(infrastructure)) + ".",
        "",
        "## Evidence",
        "",
        "Each resource has `Metadata.MigrateScan.Evidence`: the rules that fired and the `file:line` they fired at. "
        "The draft's own rules say why it made the resource:",
        "",
        "| rule | resource |",
        "|---|---|",
        "| `draft.route` | a function and its API Gateway methods, one function per views module |",
        "| `draft.authorizer` | the API's authorizer placeholder, on the methods whose views check their caller "
        "(`auth.*` rules: login decorators, mixins, permission classes) |",
        "| `draft.task-queue` | an SQS queue, its dead-letter queue and its consumer, per task group "
        "(same module, `max_retries`, `time_limit`) |",
        "| `draft.schedule` | an EventBridge Scheduler schedule sending the task's message to its queue |",
        "| `draft.fan-out` | an SNS topic or EventBridge rules for an event with several receivers, and the "
        "receiver functions |",
        "| `draft.websocket` | a WebSocket API, its handler and its connections table |",
        "| `draft.workflow` | a Step Functions state machine for a Celery canvas |",
        "| `draft.data-table` | a DynamoDB table for a model the context owns: keyed by its primary key, one index "
        "per other field the code looks it up by (`access` patterns in the report), sorted as that query orders |",
        "| `draft.data-relational` | Aurora Serverless v2 behind RDS Proxy for a context whose queries join across "
        "its models (relations followed in filters, `select_related`, joins) |",
        "| `draft.off-lambda` | an ECS Fargate task definition placeholder for what stays off Lambda |",
        "",
        "## What a human must still decide",
        "",
        "- The code: `CodeUri` is `app/`. It holds the generated handler adapters (`app/adapters/`, one entry "
        "module per function, built with libcst; `runtime.py` turns Lambda events into calls of the monolith's "
        "code: apig-wsgi or Mangum over its entry module for HTTP, an SQS record loop for tasks, SNS/EventBridge "
        "events for signal receivers, route keys for WebSocket handlers). Copy or link the monolith's source "
        "root into `app/` beside `adapters/` and merge `app/requirements-adapters.txt` into its requirements, "
        "then `sam build`: the code runs unchanged, as the strangler's first step. Task and event messages "
        'carry JSON (`{"task": ..., "args": [...], "kwargs": {...}}`): model instances must travel as ids.',
        "- Authorizers: each API whose views check their caller has a Cognito authorizer placeholder "
        "(`UserPoolArn` parameter) on exactly those methods; choose the identity provider and map the "
        "permission checks listed in its `Metadata` onto scopes or groups.",
        "- Observability: every function logs JSON to its own log group (30 days), each API writes an access "
        "log (the account needs API Gateway's CloudWatch role, `AWS::ApiGateway::Account`), state machines log "
        "errors; each context has a dashboard and the seed's Logs Insights queries; the API p99 latency alarm "
        "fires above 1 s: set it to the routes' own targets.",
        "- Data: each context's tables follow the access patterns the scan read (filters, lookups, orderings; "
        "attributes typed as strings, to check), or Aurora where its queries join its models (the reason is in "
        "the cluster's `Metadata` and below); nothing migrates the data or rewrites the ORM code yet.",
        "- Memory, timeouts without a declared `time_limit`, alarm actions (no SNS topic is "
        "subscribed to the alarms), and the "
        "Fargate images, CPU, memory and services.",
        "- Schedules run in the Celery app's timezone where the scan found its setting (`celery.timezone` "
        "in their evidence), else in UTC: check it against how beat ran.",
    ]
    decisions = [("shared", d) for d in infrastructure.shared.decisions]
    decisions += [(c.context, d) for c in infrastructure.contexts for d in c.decisions]
    for where, decision in decisions:
        lines.append(f"- `{where}`: {decision}")
    return "\n".join(lines) + "\n"


def _imports(context: ContextInfrastructure) -> set[str]:
    """The other contexts whose exports this context's state machines read."""
    return {
        task.context
        for machine in context.state_machines
        for task in _tasks(machine.states)
        if task.context != context.context
    }


def _deploy_order(infrastructure: Infrastructure) -> list[str]:
    """Template files in an order where every export exists before a stack imports it (shared first).

    Contexts are taken by name among those whose imports are all deployed; a cycle (two contexts whose
    workflows call each other's tasks) is broken by name, and the reviewer sees it in this order.
    """
    waiting = {c.context: _imports(c) for c in infrastructure.contexts}
    names = {c.context: f"{_file_stem(c.context)}.yaml" for c in infrastructure.contexts}
    order = [f"{SHARED}.yaml"]
    done: set[str] = set()
    while waiting:
        ready = sorted(name for name, needs in waiting.items() if needs <= done) or [min(waiting)]
        for name in ready:
            order.append(names[name])
            done.add(name)
            del waiting[name]
    return order
