"""The samples' expected warnings (EXPECTED.md, section 6) against the scan's.

Each row is a warning EXPECTED.md lists, written down by hand from that
table: its descriptive id, the rule that should raise it, the category the
analyst gave it, and one `file:line` of its evidence. The scan must raise the
rule in that category with that location among its evidence. The analyst's
"not expected" notes are checked too (nothing mandatory for them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_scan.model.report import Report
from migrate_scan.options import ScanOptions
from migrate_scan.pipeline import run

SAMPLES = Path(__file__).resolve().parents[2] / "sample_monoliths"

EXPECTED = {
    "flask_shop": [
        ("W-LIFT", "MS101", "potential", "wsgi.py:12"),
        ("W-DIST", "MS102", "potential", "shop/catalog/tasks.py:12"),
        ("W-LONG", "MS103", "mandatory", "shop/analytics.py:58"),
        ("W-LONG", "MS103", "mandatory", "shop/catalog/tasks.py:19"),
        ("W-LONG", "MS103", "mandatory", "shop/cli.py:70"),  # the CLI runs the re-index in its own process
        ("W-LOOP", "MS104", "mandatory", "shop/catalog/stock_watcher.py:34"),
        ("W-THREAD", "MS303", "mandatory", "shop/utils/metrics.py:58"),
        ("W-THREAD", "MS303", "mandatory", "shop/__init__.py:53"),
        ("W-DISK", "MS301", "mandatory", "shop/catalog/views.py:169"),
        ("W-DISK", "MS301", "mandatory", "shop/orders/routes.py:163"),
        ("W-DISK", "MS301", "mandatory", "shop/orders/tasks.py:133"),
        ("W-DISK", "MS301", "mandatory", "shop/analytics.py:70"),
        ("W-STATE", "MS302", "mandatory", "shop/catalog/pricing.py:11"),
        ("W-STATE", "MS302", "mandatory", "shop/tracking.py:23"),
        ("W-STATE", "MS302", "mandatory", "shop/utils/metrics.py:17"),
        ("W-STATE", "MS302", "mandatory", "shop/catalog/stock_watcher.py:16"),
        ("W-SOCKETIO", "MS311", "mandatory", "shop/__init__.py:32"),
        ("W-PAYLOAD", "MS309", "optional", "shop/config.py:26"),
        ("W-SFN-EXPRESS", "MS105", "optional", "shop/orders/workflow.py:31"),
    ],
    "django_helpdesk": [
        ("W-LIFT", "MS101", "potential", "helpdesk/wsgi.py:12"),
        ("W-DIST", "MS102", "potential", "notifications/receivers.py:5"),
        ("W-LONG", "MS103", "mandatory", "reporting/tasks.py:74"),
        ("W-LONG", "MS103", "mandatory", "reporting/tasks.py:92"),
        ("W-LONG", "MS103", "mandatory", "reporting/tasks.py:136"),
        ("W-LOOP", "MS104", "mandatory", "tickets/management/commands/run_mail_poller.py:31"),
        ("W-DISK", "MS301", "mandatory", "tickets/views.py:121"),
        ("W-DISK", "MS301", "mandatory", "tickets/storage.py:28"),
        ("W-DISK", "MS301", "mandatory", "reporting/tasks.py:64"),
        ("W-DISK", "MS301", "mandatory", "helpdesk/settings.py:105"),
        ("W-STATE", "MS302", "mandatory", "tickets/models.py:13"),
        ("W-STATE", "MS302", "mandatory", "tickets/consumers.py:20"),
        ("W-SESSIONS", "MS306", "mandatory", "helpdesk/settings.py:91"),
        ("W-SQLITE", "MS305", "mandatory", "helpdesk/settings.py:72"),  # the DATABASES assignment (:74 its ENGINE)
        ("W-CHANNEL-LAYER", "MS308", "mandatory", "helpdesk/settings.py:132"),
        ("W-PAYLOAD", "MS309", "optional", "helpdesk/settings.py:106"),
        ("W-BROKER", "MS310", "potential", "helpdesk/settings.py:139"),
        ("W-SFN-EXPRESS", "MS105", "optional", "escalations/tasks.py:60"),
    ],
}

NOT_MANDATORY = {
    # flask_shop §6 "Not expected": dev-only SQLite, testing-only broker, cookie sessions
    "flask_shop": [("MS305", "shop/config.py:62"), ("MS310", "shop/config.py:80"), ("MS306", "")],
    "django_helpdesk": [],
}


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def scanned(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Report]:
    sample = request.param
    options = ScanOptions(root=SAMPLES / sample, jobs=1, use_cache=False, cache_dir=tmp_path_factory.mktemp("c"))
    return sample, run(options)


def _raised(report: Report) -> dict[tuple[str, str], str]:
    return {
        (warning.rule, f"{location.file}:{location.line}"): warning.category
        for warning in report.warnings
        for location in warning.locations
    }


def test_every_expected_warning_is_raised_in_its_category(scanned: tuple[str, Report]) -> None:
    sample, report = scanned
    raised = _raised(report)
    missing = [
        f"{name} {rule} {where} ({category}, got {raised.get((rule, where))})"
        for name, rule, category, where in EXPECTED[sample]
        if raised.get((rule, where)) != category
    ]
    assert missing == []


def test_what_the_analyst_ruled_out_is_not_mandatory(scanned: tuple[str, Report]) -> None:
    sample, report = scanned
    for rule, where in NOT_MANDATORY[sample]:
        for warning in report.warnings:
            if warning.rule == rule and (not where or where in {f"{x.file}:{x.line}" for x in warning.locations}):
                assert warning.category != "mandatory", (rule, where)


def test_no_step_functions_or_eventbridge_where_the_seed_says_overuse(scanned: tuple[str, Report]) -> None:
    """The over-engineering the analyst listed: no Step Functions for CRUD contexts, no bus for one subscriber."""
    _, report = scanned
    for context in report.contexts:
        needs = {s.service: s.need for s in context.services}
        if context.pattern == 1:
            assert needs.get("Step Functions") in (None, "not-needed"), context.name
            assert needs.get("EventBridge") in (None, "not-needed"), context.name
    workflows = [c.name for c in report.contexts if c.workflow]
    assert all(c.workflow == "standard" for c in report.contexts if c.workflow), workflows
