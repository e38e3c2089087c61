"""`[tool.migrate-scan]` keys of the analysis stages, end to end: pins, granularity, suppressions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

APP = {
    "shop/__init__.py": "from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n",
    "billing/__init__.py": "",
    "billing/views.py": (
        "from flask import Blueprint\n\nbp = Blueprint('billing', __name__)\n_CACHE = {}\n\n\n"
        "@bp.get('/invoices')\ndef invoices():\n    _CACHE['x'] = 1\n    return 'ok'\n"
    ),
    "billing/pdf.py": "def render(invoice):\n    return invoice\n",
    "crm/__init__.py": "",
    "crm/views.py": (
        "from flask import Blueprint\n\nbp = Blueprint('crm', __name__)\n\n\n"
        "@bp.get('/customers')\ndef customers():\n    return 'ok'\n"
    ),
}


def scan(run_cli, root: Path, *extra: str) -> dict:  # type: ignore[no-untyped-def]
    result = run_cli(root, "--no-cache", "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def context_of(report: dict, module: str) -> str:
    return next(m["context"] for m in report["modules"] if m["name"] == module)


def test_pins_move_modules_and_suppressions_mark_findings(tmp_path: Path, write_tree, run_cli) -> None:  # type: ignore[no-untyped-def]
    root = write_tree(tmp_path / "app", APP)
    before = scan(run_cli, root)
    assert context_of(before, "billing.pdf") == "billing"
    [state] = [w for w in before["warnings"] if w["rule"] == "MS302"]
    assert state["suppressed"] is None
    (root / "pyproject.toml").write_text(
        "[tool.migrate-scan]\n"
        'granularity = "coarse"\n'
        "[tool.migrate-scan.contexts]\n"
        'documents = ["billing.pdf"]\n'
        "[[tool.migrate-scan.suppress]]\n"
        'rule = "MS302"\n'
        'path = "billing/views.py"\n'
        'reason = "per-request scratch, cleared on each call"\n',
        encoding="utf-8",
    )
    after = scan(run_cli, root)
    assert context_of(after, "billing.pdf") == "documents"
    [state] = [w for w in after["warnings"] if w["rule"] == "MS302"]
    assert state["suppressed"]["reason"] == "per-request scratch, cleared on each call"
    assert run_cli(root, "--no-cache", "--fail-on", "mandatory").exit_code == 0  # the only mandatory one is silenced


@pytest.mark.parametrize(
    "table", ['[[tool.migrate-scan.suppress]]\nrule = "MS302"\n', '[tool.migrate-scan]\ngranularity = "huge"\n']
)
def test_invalid_analysis_config_is_a_one_line_error(tmp_path: Path, write_tree, run_cli, table: str) -> None:  # type: ignore[no-untyped-def]
    root = write_tree(tmp_path / "app", APP)
    (root / "pyproject.toml").write_text(table, encoding="utf-8")
    result = run_cli(root, "--no-cache")
    assert result.exit_code == 2
    assert result.stderr.startswith("migrate-scan: error: pyproject.toml: [tool.migrate-scan] ")
    assert len(result.stderr.strip().splitlines()) == 1
