"""Celery canvases → Step Functions states (the typed form of Amazon States Language).

Input: a `celery-workflow` job's canvas (`Job.canvas`). Output: the top-level
sequence of states, or None when there is nothing exact to draft.

    task   → a Task state (the consumer function, or a message to the task's queue when it runs on Fargate);
             `.waitForTaskToken` when classification found the task waiting for a person
    chain  → its steps' states in order
    group  → one Parallel state, a branch per member
    chord  → a Parallel state for the header, then the callback's states
    map    → a Map state iterating the repeated signature (a group built from a loop)

A function that builds several canvases gets them in sequence only when it
builds exactly one: otherwise which runs when is the code's business, and the
draft declines (None). A task the draft gave no queue (not recognised as a
task, or owned by the host) also makes it decline.
"""

from __future__ import annotations

from collections.abc import Mapping

from migrate_scan.model.infrastructure import MapState, ParallelState, Queue, State, TaskState
from migrate_scan.model.report import CanvasStep, Job

__all__ = ["UndraftedCanvas", "canvas_states", "workflow_states"]

TaskTargets = Mapping[str, tuple[str, str, Queue, Job]]
"""Registered task name → (context, consumer function id or "", queue, the task's job)."""


class UndraftedCanvas(Exception):
    """A canvas node the draft cannot map exactly."""


def workflow_states(
    job: Job, context: str, tasks: TaskTargets, human: frozenset[str] = frozenset()
) -> list[State] | None:
    """The states of the one canvas `job` builds, or None (no canvas shape, several, or an undrafted task).

    Args:
        human: registered names of the tasks classification found waiting for a person (PT401/MS105).
    """
    if len(job.canvas) != 1:
        return None
    try:
        return canvas_states(job.canvas[0], tasks, human)
    except UndraftedCanvas:
        return None


def canvas_states(step: CanvasStep, tasks: TaskTargets, human: frozenset[str] = frozenset()) -> list[State]:
    """The sequence of states that runs `step`.

    Raises:
        UndraftedCanvas: an empty composition, or a task without a drafted queue.
    """
    if step.kind == "task":
        return [_task_state(step, tasks, human)]
    if step.kind == "chain":
        if not step.steps:
            raise UndraftedCanvas("empty chain")
        return [state for member in step.steps for state in canvas_states(member, tasks, human)]
    if step.kind == "map":
        if len(step.steps) != 1:
            raise UndraftedCanvas("a map repeats exactly one signature")
        return [MapState(iterator=canvas_states(step.steps[0], tasks, human))]
    if not step.steps:
        raise UndraftedCanvas(f"empty {step.kind}")
    parallel = ParallelState(branches=[canvas_states(member, tasks, human) for member in step.steps])
    if step.kind == "group":
        return [parallel]
    if step.callback is None:
        raise UndraftedCanvas("a chord without its callback")
    return [parallel, *canvas_states(step.callback, tasks, human)]


def _task_state(step: CanvasStep, tasks: TaskTargets, human: frozenset[str]) -> TaskState:
    target = tasks.get(step.task or "")
    if target is None:
        raise UndraftedCanvas(f"task {step.task!r} has no drafted queue")
    context, function, queue, job = target
    return TaskState(
        task=job.name,
        function=function or None,
        queue=None if function else queue.name,
        context=context,
        max_retries=job.max_retries,
        timeout=int(job.time_limit) if job.time_limit is not None else None,
        wait_for_token=job.name in human,
    )
