"""Beat and periodic schedules → EventBridge Scheduler expressions, converted exactly or not at all.

Input: the report's schedule strings, `crontab(M H DoM Mon DoW)` (Celery's
fields in Unix order, as the jobs recognizer writes them) and `every Ns`.
Output: `cron(M H DoM Mon DoW Year)` or `rate(N unit)`, or None with the
reason when EventBridge cannot express the same instants.

Each crontab field is expanded to the set of values Celery fires on (its
`crontab_parser`: `*`, `*/n`, `a-b`, `a-b/n`, lists, weekday and month names,
ranges that wrap) and written back from that set, so nothing depends on the
two dialects agreeing on a spelling. Celery fires when the day of month AND
the weekday both match; EventBridge takes only one of them (the other is
`?`), so a schedule restricting both is refused rather than approximated.
"""

from __future__ import annotations

import re

WEEKDAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
"""Celery's weekday numbers 0-6 (Sunday first) as EventBridge's names."""

_WEEKDAY_NAMES = {
    name: index
    for index, names in enumerate(
        (
            ("sun", "sunday"),
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
        )
    )
    for name in names
}
_MONTH_NAMES = {
    name: index + 1
    for index, name in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))
}

# (first, last, names) of each field in the order of the schedule string.
_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day_of_month", 1, 31, {}),
    ("month_of_year", 1, 12, _MONTH_NAMES),
    ("day_of_week", 0, 6, _WEEKDAY_NAMES),
)
_CRONTAB = re.compile(r"crontab\((?P<fields>[^()]*)\)")
_EVERY = re.compile(r"every (?P<seconds>\d+(?:\.\d+)?)s")


class ScheduleError(ValueError):
    """The schedule cannot be written as an EventBridge expression with the same instants."""


def schedule_expression(source: str) -> str:
    """Convert a report schedule string to an EventBridge Scheduler expression.

    Raises:
        ScheduleError: not a form we read, or not expressible exactly (the message says why).
    """
    every = _EVERY.fullmatch(source.strip())
    if every is not None:
        return rate_expression(float(every["seconds"]))
    crontab = _CRONTAB.fullmatch(source.strip())
    if crontab is not None:
        return cron_expression(crontab["fields"].split())
    raise ScheduleError(f"not a schedule this draft reads: {source!r}")


def rate_expression(seconds: float) -> str:
    """`rate(5 minutes)` for 300 seconds; only whole minutes, hours or days are exact.

    Raises:
        ScheduleError: under a minute, or not a whole number of minutes.
    """
    if seconds <= 0 or not float(seconds).is_integer():
        raise ScheduleError(f"an interval of {seconds:g} s is not a whole number of seconds above zero")
    whole = int(seconds)
    if whole % 60:
        raise ScheduleError(f"an interval of {whole} s is not a whole number of minutes (EventBridge's unit)")
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if whole % size == 0:
            count = whole // size
            return f"rate({count} {unit}{'' if count == 1 else 's'})"
    raise AssertionError("unreachable: every whole minute divides by 60")


def cron_expression(fields: list[str]) -> str:
    """`cron(30 2 * * ? *)` from Celery's five crontab fields (minute hour day-of-month month weekday).

    Raises:
        ScheduleError: a field that is not a literal Celery spelling, or both day fields restricted.
    """
    if len(fields) != len(_FIELDS):
        raise ScheduleError(f"a crontab needs {len(_FIELDS)} fields, got {len(fields)}")
    sets = [
        expand_field(text, first, last, names) for text, (_, first, last, names) in zip(fields, _FIELDS, strict=True)
    ]
    minute, hour, day, month, weekday = (
        _compact(values, first, last) for values, (_, first, last, _names) in zip(sets, _FIELDS, strict=True)
    )
    day_restricted = day != "*"
    weekday_restricted = weekday != "*"
    if day_restricted and weekday_restricted:
        raise ScheduleError(
            "Celery fires when both the day of month and the weekday match; EventBridge cron takes only one of them"
        )
    if weekday_restricted:
        return f"cron({minute} {hour} ? {month} {_weekday_names(sets[4])} *)"
    return f"cron({minute} {hour} {day} {month} ? *)"


def expand_field(text: str, first: int, last: int, names: dict[str, int]) -> frozenset[int]:
    """The values a Celery crontab field fires on, as `celery.schedules.crontab_parser` reads it.

    Raises:
        ScheduleError: a part that is not a number, name, `*`, range or step.
    """
    values: set[int] = set()
    for part in text.lower().split(","):
        values |= _expand_part(part, first, last, names)
    if not values:
        raise ScheduleError(f"crontab field {text!r} is empty")
    return frozenset(values)


def _expand_part(part: str, first: int, last: int, names: dict[str, int]) -> set[int]:
    body, _, step_text = part.partition("/")
    step = _number(step_text, names={}) if step_text else 1
    if step < 1:
        raise ScheduleError(f"crontab step {step_text!r} must be at least 1")
    if body == "*":
        start, stop = first, last
    elif "-" in body:
        low, _, high = body.partition("-")
        start, stop = _number(low, names), _number(high, names)
    else:
        start = _number(body, names)
        stop = last if step_text else start
    for value in (start, stop):
        if not first <= value <= last:
            raise ScheduleError(f"crontab value {value} is outside {first}-{last}")
    span = range(start, stop + 1) if start <= stop else [*range(start, last + 1), *range(first, stop + 1)]
    return set(list(span)[::step])


def _number(text: str, names: dict[str, int]) -> int:
    text = text.strip()
    if text in names:
        return names[text]
    if not text.isdigit():
        raise ScheduleError(f"crontab part {text!r} is not a number or name")
    return int(text)


def _runs(values: frozenset[int]) -> list[tuple[int, int]]:
    """Consecutive runs of the sorted values: {1, 2, 3, 7} → [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for value in sorted(values):
        if runs and runs[-1][1] == value - 1:
            runs[-1] = (runs[-1][0], value)
        else:
            runs.append((value, value))
    return runs


def _compact(values: frozenset[int], first: int, last: int) -> str:
    """`*` for every value, else runs as `a-b` and single values, comma separated."""
    if values == frozenset(range(first, last + 1)):
        return "*"
    return ",".join(str(low) if low == high else f"{low}-{high}" for low, high in _runs(values))


def _weekday_names(values: frozenset[int]) -> str:
    """Weekdays by name (`MON-FRI`, `SUN,SAT`): EventBridge numbers them 1-7, Celery 0-6."""
    return ",".join(
        WEEKDAYS[low] if low == high else f"{WEEKDAYS[low]}-{WEEKDAYS[high]}" for low, high in _runs(values)
    )
