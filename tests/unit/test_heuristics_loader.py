"""Heuristics: the bundled rules load; a bad user rule file is named with the field at fault."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from migrate_scan.errors import HeuristicsError
from migrate_scan.heuristics.loader import bundled_rules_dir, load_heuristics
from migrate_scan.heuristics.schema import FrameworkRule

PROJECT_ROOT = Path(__file__).resolve().parents[2]

VALID_RULE = """\
schema_version = 1

[[rules]]
id = "framework.bottle"
kind = "framework"
framework = "bottle"
imports = ["bottle"]
summary = "The project imports Bottle."
"""

ACCESS_RULE = """\
schema_version = 1

[[rules]]
id = "data-access.audit.record"
kind = "data-access"
role = "outside-function"
names = ["audit.record"]
reads = ["audit_entry"]
writes = ["audit_entry"]
summary = "The audit package's record() reads and writes its table."
"""


def test_bundled_rules_load_from_the_checkout() -> None:
    assert Path(str(bundled_rules_dir())) == PROJECT_ROOT / "heuristics"

    heuristics = load_heuristics()

    bundled_ids = [
        rule["id"]
        for file in sorted((PROJECT_ROOT / "heuristics").glob("*.toml"))
        for rule in tomllib.loads(file.read_text(encoding="utf-8"))["rules"]
    ]
    assert [r.id for r in heuristics.rules] == sorted(bundled_ids)
    flask = next(r for r in heuristics.rules if r.id == "framework.flask")
    assert isinstance(flask, FrameworkRule)
    assert (flask.kind, flask.framework, flask.imports) == ("framework", "flask", ["flask"])
    assert heuristics.framework_rules == tuple(r for r in heuristics.rules if isinstance(r, FrameworkRule))


def test_digest_is_stable_and_changes_with_a_user_rule(tmp_path: Path) -> None:
    (tmp_path / "extra.toml").write_text(VALID_RULE)

    bundled = load_heuristics()
    extended = load_heuristics((tmp_path,))

    assert load_heuristics().digest == bundled.digest
    assert len(bundled.digest) == 16 and int(bundled.digest, 16) >= 0
    assert extended.digest != bundled.digest
    assert [r.id for r in extended.rules] == sorted([*(r.id for r in bundled.rules), "framework.bottle"])


def test_the_digest_does_not_depend_on_where_the_user_folder_is(tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "extra.toml").write_text(VALID_RULE)

    assert load_heuristics((tmp_path / "one",)).digest == load_heuristics((tmp_path / "two",)).digest


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            VALID_RULE.replace('summary = "The', 'colour = "red"\nsummary = "The'),
            "rules[0].colour: Extra inputs are not permitted",
            id="unknown-field",
        ),
        pytest.param(
            VALID_RULE.replace('imports = ["bottle"]', 'imports = "bottle"'),
            "rules[0].imports: Input should be a valid list",
            id="wrong-type",
        ),
        pytest.param(
            VALID_RULE.replace('imports = ["bottle"]', "imports = [1]"),
            "rules[0].imports[0]: Input should be a valid string",
            id="wrong-item-type",
        ),
        pytest.param(
            VALID_RULE.replace('imports = ["bottle"]', "imports = []"),
            "rules[0].imports: List should have at least 1 item after validation, not 0",
            id="empty-list",
        ),
        pytest.param(
            VALID_RULE.replace('id = "framework.bottle"', 'id = "Not An Id"'),
            "rules[0].id: String should match pattern",
            id="bad-id",
        ),
        pytest.param(
            VALID_RULE.replace("schema_version = 1\n", ""),
            "schema_version: Field required",
            id="no-schema-version",
        ),
        pytest.param(
            VALID_RULE + VALID_RULE.split("\n", 2)[2],
            "Value error, duplicate rule id 'framework.bottle'",
            id="duplicate-id-in-file",
        ),
        pytest.param(
            VALID_RULE.replace("framework.bottle", "framework.flask"),
            "rules[0].id: rule id 'framework.flask' is already declared in heuristics/frameworks.toml",
            id="duplicate-of-a-bundled-id",
        ),
        pytest.param(
            ACCESS_RULE.replace('reads = ["audit_entry"]\n', ""),
            "rules[0]: Value error, a outside-function rule needs `reads`",
            id="data-access-field-the-role-needs",
        ),
        pytest.param(
            ACCESS_RULE.replace('role = "outside-function"', 'role = "write-method"'),
            "rules[0]: Value error, a write-method rule takes no `reads` (it reads names)",
            id="data-access-field-the-role-ignores",
        ),
        pytest.param(
            ACCESS_RULE.replace('role = "outside-function"', 'role = "outside-functions"'),
            "rules[0].role: Input should be ",
            id="data-access-unknown-role",
        ),
        pytest.param("schema_version = 1\n[[rules]\n", "not valid TOML: ", id="invalid-toml"),
        pytest.param(b"schema_version = 1 # \xff\n", "not valid TOML: ", id="not-utf8"),
    ],
)
def test_bad_user_rule_file_is_named_with_its_field(tmp_path: Path, content: str | bytes, expected: str) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    bad = folder / "bad.toml"
    bad.write_bytes(content if isinstance(content, bytes) else content.encode())

    with pytest.raises(HeuristicsError) as caught:
        load_heuristics((folder,))

    message = str(caught.value)
    assert message.startswith(f"invalid heuristics: {folder}/bad.toml: {expected}"), message
    assert "\n" not in message
    assert caught.value.exit_code == 2


def test_every_error_is_counted(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(VALID_RULE.replace('imports = ["bottle"]', 'imports = "x"\ncolour = 1'))

    with pytest.raises(HeuristicsError, match=r"rules\[0\]\.imports: .* \(and 1 more\)$"):
        load_heuristics((tmp_path,))


def test_non_toml_files_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("not a rule")
    (tmp_path / "rules.toml.bak").write_text("garbage [[")

    assert load_heuristics((tmp_path,)).digest == load_heuristics().digest


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(HeuristicsError, match=r"^heuristics folder not found: .*nowhere$"):
        load_heuristics((tmp_path / "nowhere",))


def test_cli_reports_a_bad_rule_file_in_one_line(tmp_path: Path, write_tree, run_cli, cli_subprocess) -> None:
    root = write_tree(tmp_path / "proj", {"a.py": "import flask\n"})
    rules = write_tree(tmp_path / "rules", {"bad.toml": VALID_RULE.replace('imports = ["bottle"]', 'imports = "x"')})
    expected = (
        f"migrate-scan: error: invalid heuristics: {rules}/bad.toml: rules[0].imports: Input should be a valid list\n"
    )

    in_process = run_cli(root, "--heuristics", rules, "--no-cache")
    child = cli_subprocess(root, "--heuristics", rules, "--no-cache")

    assert (in_process.exit_code, in_process.stdout, in_process.stderr) == (2, "", expected)
    assert (child.exit_code, child.stdout, child.stderr) == (2, "", expected)


def test_cli_reports_heuristics_from_the_project_config(tmp_path: Path, write_tree, run_cli) -> None:
    root = write_tree(
        tmp_path / "proj",
        {
            "a.py": "",
            "pyproject.toml": '[tool.migrate-scan]\nheuristics = ["rules"]\n',
            "rules/bad.toml": "[[[",
        },
    )

    result = run_cli(root, "--no-cache")

    assert result.exit_code == 2
    assert result.stderr.startswith(f"migrate-scan: error: invalid heuristics: {root}/rules/bad.toml: not valid TOML")
    assert result.stderr.count("\n") == 1
