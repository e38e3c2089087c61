"""SARIF 2.1.0 renderer: the report's warnings as static-analysis results for code scanning.

Input: the final `Report`. Output: one SARIF log with one run. Invariants:
- one `reportingDescriptor` per warning rule id (sorted), its default level from
  the most severe category the rule was raised with: mandatory → error,
  optional → warning, potential → note;
- every location is relative to `%SRCROOT%` (the scanned root), never absolute; its
  URI percent-encodes the file name's real bytes (texts keep the report's escaped spelling);
  a warning without a location points at the files of the modules it names;
- a suppressed warning is still a result, with `suppressions` (`inSource` when the
  suppression comment's location is known, else `external`) and its justification;
- deterministic: sorted keys, no timestamps, no invocation details.
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote

from migrate_scan.model.ids import Location, unescape_name
from migrate_scan.model.report import Report, Warning
from migrate_scan.render import RenderOptions
from migrate_scan.render.vocabulary import CATEGORY_RANK, ranked_warnings

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"mandatory": "error", "optional": "warning", "potential": "note"}
SOURCE_ROOT = "%SRCROOT%"


def file_uri(path: str) -> str:
    """A relative URI for a report path: the file's real bytes, percent-encoded (RFC 3986).

    Report paths are escaped (`model.ids.escape_name`); a URI must name the file itself, so
    `caf\\xe9.py` becomes `caf%E9.py`, not the escape's own backslash.
    """
    return quote(os.fsencode(unescape_name(path)), safe="/")


def _location(location: Location) -> dict[str, object]:
    physical: dict[str, object] = {
        "artifactLocation": {"uri": file_uri(location.file), "uriBaseId": SOURCE_ROOT},
    }
    if location.line >= 1:
        physical["region"] = {"startLine": location.line}
    return {"physicalLocation": physical}


def _rules(warnings: list[Warning]) -> list[dict[str, object]]:
    by_rule: dict[str, list[Warning]] = {}
    for warning in warnings:
        by_rule.setdefault(warning.rule, []).append(warning)
    rules: list[dict[str, object]] = []
    for rule_id in sorted(by_rule):
        raised = by_rule[rule_id]
        worst = min(raised, key=lambda w: CATEGORY_RANK.get(w.category, len(CATEGORY_RANK)))
        titled = next((w for w in raised if w.title), worst)
        rules.append(
            {
                "id": rule_id,
                "name": rule_id,
                "shortDescription": {"text": titled.title or titled.message},
                "fullDescription": {"text": worst.fix or worst.message},
                "help": {"text": worst.fix or worst.message},
                "defaultConfiguration": {"level": LEVELS[worst.category]},
                "properties": {"category": worst.category, "kind": worst.kind, "tags": ["migration", worst.kind]},
            }
        )
    return rules


def _result(warning: Warning, rule_index: int, module_files: dict[str, str]) -> dict[str, object]:
    locations = list(warning.locations) or [
        Location(file=module_files[m], line=0) for m in warning.modules if m in module_files
    ]
    result: dict[str, object] = {
        "ruleId": warning.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[warning.category],
        "kind": "fail",
        "message": {"text": f"{warning.message} Fix: {warning.fix}" if warning.fix else warning.message},
        "properties": {
            "category": warning.category,
            "kind": warning.kind,
            "contexts": list(warning.contexts),
            "modules": list(warning.modules),
            **({"compute": warning.compute} if warning.compute else {}),
        },
    }
    if locations:
        result["locations"] = [_location(locations[0])]
        if len(locations) > 1:
            result["relatedLocations"] = [
                {"id": index, **_location(location)} for index, location in enumerate(locations[1:], start=1)
            ]
    if warning.suppressed is not None:
        suppression: dict[str, object] = {
            "kind": "inSource" if warning.suppressed.location is not None else "external",
            "justification": warning.suppressed.reason,
        }
        if warning.suppressed.location is not None:
            suppression["location"] = _location(warning.suppressed.location)
        result["suppressions"] = [suppression]
    return result


def render_sarif(report: Report, options: RenderOptions) -> str:
    """Return the warnings as a SARIF 2.1.0 log (indented JSON, sorted keys, final newline)."""
    warnings = ranked_warnings(report)
    rules = _rules(warnings)
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    module_files = {module.name: module.file for module in report.modules}
    run: dict[str, object] = {
        "tool": {"driver": {"name": report.tool.name, "version": report.tool.version, "rules": rules}},
        "automationDetails": {"id": f"migrate-scan/{report.project.name}/"},
        "columnKind": "unicodeCodePoints",
        "results": [_result(w, index[w.rule], module_files) for w in warnings],
    }
    if report.analysis_errors:
        run["invocations"] = [_partial_invocation(report)]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [run],
    }
    return json.dumps(log, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _partial_invocation(report: Report) -> dict[str, object]:
    """The run still succeeded, but units of analysis failed: one error notification each."""
    notifications = []
    for error in report.analysis_errors:
        notification: dict[str, object] = {
            "level": "error",
            "message": {"text": f"{error.stage}: {error.unit}: {error.error}"},
            "descriptor": {"id": f"analysis-error/{error.stage}"},
        }
        if error.location is not None:
            notification["locations"] = [_location(error.location)]
        notifications.append(notification)
    return {"executionSuccessful": True, "toolExecutionNotifications": notifications}
