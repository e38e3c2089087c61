"""The command line: exit codes, one-line errors, output formats, and no machine paths in reports."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from migrate_scan import __version__

APP = {
    "app/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n",
    "app/models.py": (
        "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n\nclass Item(db.Model):\n    pass\n"
    ),
    "app/views.py": (
        "from . import app\n\n\n@app.route('/items')\ndef items():\n    if app:\n        return 'x'\n    return 'y'\n"
    ),
    "app/bad.py": "x = 1\ndef f(:\n",
    "wsgi.py": "from app import app\n",
}


@pytest.fixture
def project(tmp_path: Path, write_tree) -> Path:
    return write_tree(tmp_path / "shop", APP)


def expand(args: list[str], project: Path) -> list[str]:
    places = {
        "{root}": str(project),
        "{file}": str(project / "wsgi.py"),
        "{missing}": str(project / "nope"),
    }
    return [places.get(a, a) for a in args]


CASES = [
    # (args, exit code, first line of stderr: exact, or a prefix ending with "...")
    (["{missing}"], 2, "migrate-scan: error: path does not exist: {missing}"),
    (["{file}"], 2, "migrate-scan: error: not a folder: {file} (give the folder of the application)"),
    ([], 2, "migrate-scan: error: missing PATH: the folder of the application to scan"),
    (["{root}", "--bogus"], 2, "migrate-scan: error: No such option: --bogus..."),
    (["{root}", "--format", "xml"], 2, "migrate-scan: error: Invalid value for '--format' / '-f': ..."),
    (["{root}", "--jobs", "0"], 2, "migrate-scan: error: Invalid value for '--jobs' / '-j': ..."),
    (["{root}", "--jobs", "many"], 2, "migrate-scan: error: Invalid value for '--jobs' / '-j': ..."),
    (["{root}", "--file-timeout", "0"], 2, "migrate-scan: error: Invalid value for '--file-timeout': ..."),
    (["{root}", "--max-file-size", "0"], 2, "migrate-scan: error: Invalid value for '--max-file-size': ..."),
    (["{root}", "--heuristics", "{missing}"], 2, "migrate-scan: error: heuristics folder not found: {missing}"),
    (["{root}", "extra-argument"], 2, "migrate-scan: error: Got unexpected extra argument..."),
    (["--version"], 0, None),
    (["--schema"], 0, None),
    (["{root}", "--no-cache"], 0, None),
]


def check_stderr(stderr: str, expected: str | None, project: Path) -> None:
    assert "Traceback" not in stderr
    if expected is None:
        assert stderr == ""
        return
    assert stderr.count("\n") == 1, stderr  # one line
    expected = expected.replace("{missing}", str(project / "nope")).replace("{file}", str(project / "wsgi.py"))
    line = stderr.rstrip("\n")
    if expected.endswith("..."):
        assert line.startswith(expected[:-3]), line
    else:
        assert line == expected


@pytest.mark.parametrize(("args", "code", "stderr"), CASES, ids=[" ".join(c[0]) or "no-args" for c in CASES])
def test_exit_codes_and_error_lines(project: Path, run_cli, args: list[str], code: int, stderr: str | None) -> None:
    result = run_cli(*expand(args, project))

    assert result.exit_code == code, result.stderr
    check_stderr(result.stderr, stderr, project)


@pytest.mark.parametrize(
    ("config", "stderr"),
    [
        (
            'exclud = ["x"]',
            "migrate-scan: error: pyproject.toml: [tool.migrate-scan] exclud: Extra inputs are not permitted",
        ),
        (
            'jobs = "many"',
            "migrate-scan: error: pyproject.toml: [tool.migrate-scan] jobs: "
            "Input should be a valid integer, unable to parse string as an integer",
        ),
        ("max-file-size = -1", "migrate-scan: error: pyproject.toml: [tool.migrate-scan] max-file-size: ..."),
        ("[[[", "migrate-scan: error: pyproject.toml: cannot read [tool.migrate-scan]: ..."),
    ],
)
def test_invalid_project_config_names_the_key(project: Path, run_cli, config: str, stderr: str) -> None:
    header = "" if config == "[[[" else "[tool.migrate-scan]\n"
    (project / "pyproject.toml").write_text(header + config + "\n")

    result = run_cli(project, "--no-cache")

    assert result.exit_code == 2
    check_stderr(result.stderr, stderr, project)
    assert run_cli(project, "--no-cache", "--no-config").exit_code == 0  # --no-config ignores it


def test_project_config_is_applied(project: Path, run_cli) -> None:
    (project / "pyproject.toml").write_text('[tool.migrate-scan]\nexclude = ["app/bad.py"]\n')

    report = json.loads(run_cli(project, "--no-cache", "-f", "json").stdout)

    assert report["files"]["skipped"] == []
    assert report["project"]["totals"]["files"] == 4


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        (["{missing}"], 2, "migrate-scan: error: path does not exist: {missing}"),
        (["{root}", "--bogus"], 2, "migrate-scan: error: No such option: --bogus..."),
        (["--version"], 0, None),
    ],
    ids=["missing-path", "unknown-option", "version"],
)
def test_exit_codes_in_a_real_process(project: Path, cli_subprocess, args: list[str], code: int, stderr) -> None:
    result = cli_subprocess(*expand(args, project))

    assert result.exit_code == code
    check_stderr(result.stderr, stderr, project)


def test_version(run_cli) -> None:
    assert run_cli("--version").stdout == f"migrate-scan {__version__}\n"


def test_json_output_validates_against_the_printed_schema(project: Path, run_cli, cli_subprocess) -> None:
    schema = json.loads(run_cli("--schema").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)

    result = cli_subprocess(project, "--format", "json", "--no-cache", "--jobs", "2")

    assert (result.exit_code, result.stderr) == (0, "")
    report = json.loads(result.stdout)
    jsonschema.validate(report, schema, cls=jsonschema.Draft202012Validator)
    assert report["schema_version"] == "1"
    assert report["tool"] == {"name": "migrate-scan", "version": __version__}
    assert report["project"]["name"] == "shop"
    assert report["files"] == {
        "analyzed": 4,
        "excluded": [],
        "skipped": [
            {"path": "app/bad.py", "reason": "syntax-error", "message": "invalid syntax", "line": 2},
        ],
    }
    assert [(m["name"], m["file"], m["lines"]) for m in report["modules"]] == [
        ("app", "app/__init__.py", 3),
        ("app.models", "app/models.py", 7),
        ("app.views", "app/views.py", 8),
        ("wsgi", "wsgi.py", 1),
    ]
    assert [f["name"] for f in report["project"]["frameworks"]] == ["flask", "sqlalchemy"]


def test_output_file(project: Path, tmp_path: Path, run_cli) -> None:
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()

    written = run_cli(project, "-f", "json", "--no-cache", "--output", target)
    printed = run_cli(project, "-f", "json", "--no-cache")

    assert (written.exit_code, written.stdout, written.stderr) == (0, "", "")
    assert target.read_text(encoding="utf-8") == printed.stdout


def test_output_file_that_cannot_be_written(project: Path, tmp_path: Path, run_cli) -> None:
    result = run_cli(project, "--no-cache", "--output", tmp_path / "no" / "such" / "folder.txt")

    assert result.exit_code == 2
    target = tmp_path / "no" / "such" / "folder.txt"
    check_stderr(result.stderr, f"migrate-scan: error: cannot write {target}: ...", project)


def test_markdown_has_the_module_table(project: Path, run_cli) -> None:
    text = run_cli(project, "-f", "markdown", "--no-cache").stdout

    lines = text.splitlines()
    assert lines[0] == "# Migration report: shop"
    start = lines.index("## Modules")
    assert lines[start + 2 : start + 8] == [
        "| Module | File | Lines | Complexity | Worst function |",
        "|---|---|---:|---:|---:|",
        "| `app` | `app/__init__.py` | 3 | 1 | 0 |",
        "| `app.models` | `app/models.py` | 7 | 1 | 0 |",
        "| `app.views` | `app/views.py` | 8 | 2 | 2 |",
        "| `wsgi` | `wsgi.py` | 1 | 1 | 0 |",
    ]
    assert "| `app/bad.py:2` | syntax-error | invalid syntax |" in lines


def test_text_output_lists_skipped_files_with_reasons(project: Path, run_cli) -> None:
    result = run_cli(project, "--no-cache")

    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[0] == f"migrate-scan {__version__}: shop"
    assert "Skipped files (1 syntax-error)" in lines
    assert "  app/bad.py:2  syntax-error  invalid syntax" in lines
    assert "\x1b[" not in result.stdout  # no colour when piped


@pytest.mark.parametrize("output_format", ["text", "json", "markdown"])
def test_output_never_contains_the_absolute_root(tmp_path: Path, write_tree, run_cli, output_format: str) -> None:
    root = write_tree(
        tmp_path / "deep" / "where" / "myapp",
        {**APP, "bad/undecodable.py": b"s = '\xff'\n", "bad/python2.py": "print 'x'\n"},
    )

    result = run_cli(root, "-f", output_format, "--no-cache")

    assert result.exit_code == 0
    assert str(root) not in result.stdout
    assert str(tmp_path) not in result.stdout
    assert "myapp" in result.stdout
