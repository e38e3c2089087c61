"""Celery canvases → Step Functions states → Amazon States Language, with positive and negative cases.

The expected documents are written by hand from the ASL specification: chain = states in sequence,
group = one Parallel state, chord = Parallel then the callback, a group over a loop = a Map state.
"""

from __future__ import annotations

import pytest

from migrate_scan.model.ids import Location
from migrate_scan.model.infrastructure import MapState, ParallelState, Queue, StateMachine, TaskState
from migrate_scan.model.report import CanvasStep, Job
from migrate_scan.render.sam_template import state_machine_definition
from migrate_scan.stages.draft.workflows import UndraftedCanvas, canvas_states, workflow_states

HERE = Location(file="app/tasks.py", line=1)


def _queue(name: str) -> Queue:
    return Queue(
        name=name, tasks=[], dead_letter=f"{name}Dlq", max_receive_count=1, visibility_timeout=60, consumer="lambda"
    )


def _job(name: str, retries: int | None = None, limit: float | None = None) -> Job:
    return Job(
        kind="celery-task", name=name, handler=f"app.tasks:{name}", location=HERE, max_retries=retries, time_limit=limit
    )


TASKS = {
    "a": ("ctx", "AFn", _queue("AQueue"), _job("a", retries=3)),
    "b": ("ctx", "BFn", _queue("BQueue"), _job("b")),
    "c": ("other", "CFn", _queue("CQueue"), _job("c", limit=60)),
    "slow": ("ctx", "", _queue("SlowQueue"), _job("slow", limit=3600)),  # on Fargate: no function
}


def task(name: str) -> CanvasStep:
    return CanvasStep(kind="task", task=name)


def test_chain_is_a_sequence() -> None:
    states = canvas_states(CanvasStep(kind="chain", steps=[task("a"), task("b")]), TASKS)

    assert [s.task for s in states if isinstance(s, TaskState)] == ["a", "b"]
    assert states[0] == TaskState(task="a", function="AFn", context="ctx", max_retries=3)


def test_group_is_one_parallel_state() -> None:
    states = canvas_states(CanvasStep(kind="group", steps=[task("a"), task("b")]), TASKS)

    assert len(states) == 1 and isinstance(states[0], ParallelState)
    assert [[s.task for s in branch] for branch in states[0].branches] == [["a"], ["b"]]  # type: ignore[union-attr]


def test_chord_is_parallel_then_the_callback() -> None:
    chord = CanvasStep(kind="chord", steps=[task("a"), task("b")], callback=task("c"))

    states = canvas_states(chord, TASKS)

    assert isinstance(states[0], ParallelState)
    assert states[1] == TaskState(task="c", function="CFn", context="other", timeout=60)


def test_group_over_a_loop_is_a_map() -> None:
    states = canvas_states(CanvasStep(kind="map", steps=[task("b")]), TASKS)

    assert states == [MapState(iterator=[TaskState(task="b", function="BFn", context="ctx")])]


def test_task_without_function_goes_through_its_queue() -> None:
    (state,) = canvas_states(task("slow"), TASKS)

    assert isinstance(state, TaskState) and state.function is None and state.queue == "SlowQueue"


@pytest.mark.parametrize(
    "canvas",
    [
        CanvasStep(kind="chain", steps=[]),
        CanvasStep(kind="group", steps=[]),
        CanvasStep(kind="chord", steps=[task("a")]),  # no callback
        CanvasStep(kind="map", steps=[task("a"), task("b")]),
        CanvasStep(kind="chain", steps=[task("a"), task("unknown")]),  # not a drafted task
    ],
)
def test_undraftable_canvases_are_refused(canvas: CanvasStep) -> None:
    with pytest.raises(UndraftedCanvas):
        canvas_states(canvas, TASKS)


def test_workflow_states_needs_exactly_one_canvas() -> None:
    workflow = Job(kind="celery-workflow", name="w", handler="app.flows:w", location=HERE)

    assert workflow_states(workflow, "ctx", TASKS) is None
    two = workflow.model_copy(update={"canvas": [task("a"), task("b")]})
    assert workflow_states(two, "ctx", TASKS) is None
    one = workflow.model_copy(update={"canvas": [CanvasStep(kind="chain", steps=[task("a"), task("b")])]})
    assert workflow_states(one, "ctx", TASKS) is not None
    broken = workflow.model_copy(update={"canvas": [task("unknown")]})
    assert workflow_states(broken, "ctx", TASKS) is None


def test_asl_document_of_a_chain_with_a_chord() -> None:
    canvas = CanvasStep(
        kind="chain",
        steps=[task("a"), CanvasStep(kind="chord", steps=[task("b"), task("slow")], callback=task("c"))],
    )
    machine = StateMachine(name="Flow", workflow="app.flows:flow", type="STANDARD", states=canvas_states(canvas, TASKS))

    assert state_machine_definition(machine) == {
        "Comment": "Celery canvas app.flows:flow",
        "StartAt": "a",
        "States": {
            "a": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "${ctxAFn}", "Payload": {"task": "a", "input.$": "$"}},
                "OutputPath": "$.Payload",
                "Retry": [
                    {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 180, "MaxAttempts": 3, "BackoffRate": 1.0}
                ],
                "Next": "Parallel",
            },
            "Parallel": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "b",
                        "States": {
                            "b": {
                                "Type": "Task",
                                "Resource": "arn:aws:states:::lambda:invoke",
                                "Parameters": {"FunctionName": "${ctxBFn}", "Payload": {"task": "b", "input.$": "$"}},
                                "OutputPath": "$.Payload",
                                "End": True,
                            }
                        },
                    },
                    {
                        "StartAt": "slow",
                        "States": {
                            "slow": {
                                "Type": "Task",
                                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                                "Parameters": {
                                    "QueueUrl": "${ctxSlowQueue}",
                                    "MessageBody": {"task": "slow", "input.$": "$", "taskToken.$": "$$.Task.Token"},
                                },
                                "TimeoutSeconds": 3600,
                                "End": True,
                            }
                        },
                    },
                ],
                "Next": "c",
            },
            "c": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "${otherCFn}", "Payload": {"task": "c", "input.$": "$"}},
                "OutputPath": "$.Payload",
                "TimeoutSeconds": 60,
                "End": True,
            },
        },
    }


def test_state_names_are_unique_across_the_machine() -> None:
    canvas = CanvasStep(
        kind="chain", steps=[task("a"), CanvasStep(kind="group", steps=[task("a"), task("a")]), task("a")]
    )
    machine = StateMachine(name="Flow", workflow="w", type="STANDARD", states=canvas_states(canvas, TASKS))

    document = state_machine_definition(machine)
    names = list(document["States"])  # type: ignore[arg-type]
    branches = [b["StartAt"] for b in document["States"]["Parallel"]["Branches"]]  # type: ignore[index]

    assert names == ["a", "Parallel", "a 2"] and branches == ["a 3", "a 4"]  # outer sequence named first


def test_a_task_classification_found_waiting_for_a_person_waits_for_its_token() -> None:
    canvas = CanvasStep(kind="chain", steps=[task("a"), task("b")])

    states = canvas_states(canvas, TASKS, human=frozenset({"b"}))
    machine = StateMachine(name="Flow", workflow="w", type="STANDARD", states=states)
    document = state_machine_definition(machine)

    assert [s.wait_for_token for s in states if isinstance(s, TaskState)] == [False, True]
    assert document["States"]["b"] == {  # type: ignore[index]
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {
            "FunctionName": "${ctxBFn}",
            "Payload": {"task": "b", "input.$": "$", "taskToken.$": "$$.Task.Token"},
        },
        "End": True,
    }
    assert document["States"]["a"]["Resource"] == "arn:aws:states:::lambda:invoke"  # type: ignore[index]
