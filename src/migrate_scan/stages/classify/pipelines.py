"""Hand-written chains of steps as pattern-4 candidates: `Recognition.pipelines` → `Workflow`s.

A chain the pipelines recognizer found in a job is a workflow candidate when the job runs long: its own
time limit, or for a Celery task that declares none the project-wide task limit, above PT401's threshold
(the decision tree still asks for a long run or a human decision, as for canvases).

The project-wide limit is read from settings as `settings_numbers` finds them (module and class level,
`conf` attributes, keywords of `conf.update(...)`), also as the default of an environment read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from migrate_scan.model.facts import ExprKind, FileFacts, configured_number
from migrate_scan.model.ids import Location
from migrate_scan.model.inventory import Recognition
from migrate_scan.model.report import Job
from migrate_scan.stages.classify.entries import Workflow, module_of


@dataclass(frozen=True)
class ProjectLimit:
    """A project-wide task time limit and where it is set."""

    seconds: float
    location: Location
    key: str


def settings_numbers(facts: FileFacts, keys: frozenset[str]) -> list[tuple[int, str, float]]:
    """Numbers given to the settings `keys` outside functions, on attributes, or as keywords of any call."""
    module_values = {
        str(a.targets[0][1]): a.value
        for a in facts.assignments
        if not a.scope and a.value is not None and len(a.targets) == 1 and a.targets[0][0] == ExprKind.NAME
    }
    functions = {d.qualname for d in facts.definitions if d.kind in ("function", "lambda")}
    found = []
    for assignment in facts.assignments:
        target = assignment.targets[0] if len(assignment.targets) == 1 else None
        if target is None or assignment.value is None or assignment.operator is not None:
            continue
        key = str(target[1]) if target[0] in (ExprKind.NAME, ExprKind.ATTRIBUTE) else ""
        if key in keys and (assignment.scope not in functions or target[0] == ExprKind.ATTRIBUTE):
            seconds = configured_number(assignment.value, module_values.get)
            if seconds is not None:
                found.append((assignment.line, key, seconds))
    for call in facts.calls:
        for name, value in call.call[3]:
            if name is not None and name in keys:
                seconds = configured_number(value, module_values.get)
                if seconds is not None:
                    found.append((call.line, name, seconds))
    return found


def project_limits(
    modules: Mapping[str, FileFacts], keys: frozenset[str], is_test: Callable[[str], bool]
) -> list[ProjectLimit]:
    """Every project-wide task time limit the application's modules set (`is_test` ones apart), in file order."""
    found = []
    for module, facts in sorted(modules.items(), key=lambda item: item[1].path):
        if is_test(module):
            continue
        for line, key, seconds in settings_numbers(facts, keys):
            found.append(ProjectLimit(seconds, Location(file=facts.path, line=line), key))
    return found


def pipelines(recognition: Recognition, limits: list[ProjectLimit], long_seconds: float) -> list[Workflow]:
    """The chains of steps the application's jobs run, as workflows of the module that runs them."""
    project_limit = max(limits, key=lambda limit: limit.seconds, default=None)
    jobs = {job.handler: job for job in recognition.jobs}
    found = []
    for pipeline in recognition.pipelines:
        job = jobs.get(pipeline.job)
        if job is None:
            continue
        found.append(
            Workflow(
                module=module_of(pipeline.job),
                builders=(),
                steps=pipeline.steps,
                step_jobs=(),
                chain=(pipeline.location, *pipeline.step_locations),
                members=pipeline.members,
                long_running=_long_running(job, project_limit, long_seconds),
            )
        )
    return found


def _long_running(job: Job, project_limit: ProjectLimit | None, long_seconds: float) -> tuple[Location, ...]:
    """Where the job's run is allowed past the threshold: its own limit, or the project-wide one for a task."""
    own = max(job.time_limit or 0, job.soft_time_limit or 0)
    if own > long_seconds:
        return (job.location,)
    if not own and job.kind == "celery-task" and project_limit is not None and project_limit.seconds > long_seconds:
        return (job.location, project_limit.location)
    return ()
