"""Beat schedules → EventBridge Scheduler expressions: exact conversions, and refusals where none is exact.

Expected values are written by hand from Celery's crontab semantics (weekday 0 = Sunday; the day of month
AND the weekday must match) and EventBridge's cron/rate syntax (weekday names, `?` in one day field).
"""

from __future__ import annotations

import pytest

from migrate_scan.stages.draft.schedules import ScheduleError, expand_field, schedule_expression


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # the samples' beat entries
        ("crontab(30 2 * * *)", "cron(30 2 * * ? *)"),
        ("crontab(0 8 * * mon)", "cron(0 8 ? * MON *)"),
        ("crontab(15 3 * * sun)", "cron(15 3 ? * SUN *)"),
        ("every 300s", "rate(5 minutes)"),
        ("every 3600s", "rate(1 hour)"),
        ("every 600.0s", "rate(10 minutes)"),
        ("every 86400s", "rate(1 day)"),
        ("every 60s", "rate(1 minute)"),
        ("every 172800s", "rate(2 days)"),
        # Celery numbers weekdays from Sunday = 0; EventBridge from Sunday = 1: names avoid the shift
        ("crontab(0 9 * * 1-5)", "cron(0 9 ? * MON-FRI *)"),
        ("crontab(0 9 * * 0)", "cron(0 9 ? * SUN *)"),
        ("crontab(0 9 * * 0,6)", "cron(0 9 ? * SUN,SAT *)"),
        ("crontab(0 9 * * sat-mon)", "cron(0 9 ? * SUN-MON,SAT *)"),  # a wrapping range
        ("crontab(0 9 * * */2)", "cron(0 9 ? * SUN,TUE,THU,SAT *)"),
        ("crontab(0 9 * * monday)", "cron(0 9 ? * MON *)"),
        # steps and ranges expanded, then written back as runs
        ("crontab(*/15 * * * *)", "cron(0,15,30,45 * * * ? *)"),
        ("crontab(0 9-17/4 * * *)", "cron(0 9,13,17 * * ? *)"),
        ("crontab(0 0 1 */3 *)", "cron(0 0 1 1,4,7,10 ? *)"),
        ("crontab(0 0 1,15 * *)", "cron(0 0 1,15 * ? *)"),
        ("crontab(5 4 1-7 * *)", "cron(5 4 1-7 * ? *)"),
        ("crontab(0-59 * * * *)", "cron(* * * * ? *)"),  # every value is `*`
        ("crontab(0 0 1 jan *)", "cron(0 0 1 1 ? *)"),
    ],
)
def test_exact_conversion(source: str, expected: str) -> None:
    assert schedule_expression(source) == expected


@pytest.mark.parametrize(
    ("source", "why"),
    [
        # Celery ANDs day of month and weekday; EventBridge takes one of them
        ("crontab(0 0 13 * fri)", "both"),
        ("every 90s", "whole number of minutes"),
        ("every 30s", "whole number of minutes"),
        ("every 0.5s", "whole number of seconds"),
        ("every 0s", "above zero"),
        ("crontab(0 25 * * *)", "outside 0-23"),
        ("crontab(0 0 0 * *)", "outside 1-31"),
        ("crontab(0 0 * * 7)", "outside 0-6"),
        ("crontab(settings.MINUTE 3 * * *)", "not a number"),  # a value the scan could not fold
        ("crontab(0 3 * *)", "5 fields"),
        ("crontab(*/0 * * * *)", "at least 1"),
        ("solar(sunset, 0, 0)", "not a schedule"),
    ],
)
def test_refused_when_not_exact(source: str, why: str) -> None:
    with pytest.raises(ScheduleError, match=why):
        schedule_expression(source)


@pytest.mark.parametrize(
    ("text", "first", "last", "expected"),
    [
        ("*", 0, 6, set(range(7))),
        ("*/20", 0, 59, {0, 20, 40}),
        ("10/20", 0, 59, {10, 30, 50}),
        ("1-3,5", 1, 31, {1, 2, 3, 5}),
        ("22-2", 0, 23, {22, 23, 0, 1, 2}),
    ],
)
def test_expand_field(text: str, first: int, last: int, expected: set[int]) -> None:
    assert expand_field(text, first, last, {}) == expected
