"""Trace an app's data access and write its truth: ``python benchmarks/realworld/dataaccess/trace.py APP``.

Reads the app's section of ``apps.toml`` (beside this file), makes a scratch folder, writes the section's
``files`` there (a settings module importing the app's own, a conftest plugin...) and its ``links`` (symbolic
links to folders of the checkout the tests open by a path relative to the working folder), runs ``command`` with the
app's interpreter (``<corpus>/<app>/venv/bin/python``) in that folder with ``PYTHONPATH`` = this folder, the
scratch folder and the checkout, and the tracer's ``DATAACCESS_*`` variables; then builds
``truth/<app>.json`` from the raw trace (``build_truth.py``). Fails when the checkout shows any change
afterwards (``git status --porcelain --ignored``): nothing may be written into it.

    --raw RAW.json   build the truth from an existing raw trace without running anything
    --keep DIR       use DIR as the scratch folder and keep it (the raw trace is DIR/raw.json)
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import build_truth  # noqa: E402

DEFAULT_CORPUS = Path(os.environ.get("MIGRATE_SCAN_CORPUS") or HERE.parents[3] / "corpus")


def checkout_state(src: Path) -> str:
    """What git sees in the checkout (empty when clean); '' when it is not a git work tree."""
    done = subprocess.run(
        ["git", "-C", str(src), "status", "--porcelain", "--ignored"], capture_output=True, text=True, check=False
    )
    return done.stdout if done.returncode == 0 else ""


def run(app: str, corpus: Path, scratch: Path) -> Path:
    """Run the app's traced command in ``scratch``; returns the raw trace's path."""
    config = build_truth.load_config(app)
    src = corpus / app / "src"
    truth = build_truth.CORPUS_TRUTH_DIR / f"{app}.json"
    scan_root = (src / build_truth.app_identity(app, config).get("scan_root", ".")).resolve()
    before = checkout_state(src)
    fill = {
        "python": str(corpus / app / "venv" / "bin" / "python"),
        "src": str(src),
        "scratch": str(scratch),
        "here": str(HERE),
    }
    for name, text in config.get("files", {}).items():
        (scratch / name).write_text(text.format(**fill), encoding="utf-8")
    for name, target in config.get("links", {}).items():  # read-only data the tests open by relative path
        link = scratch / name
        if not link.is_symlink():
            link.symlink_to(target.format(**fill))
    raw = scratch / "raw.json"
    env = {
        **os.environ,
        **{k: v.format(**fill) for k, v in config.get("env", {}).items()},
        "PYTHONPATH": os.pathsep.join([str(HERE), str(scratch), str(src / config.get("import_root", "."))]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DATAACCESS_OUT": str(raw),
        "DATAACCESS_SCAN_ROOT": str(scan_root),
        "DATAACCESS_TRUTH": str(truth) if truth.exists() else "",
    }
    command = shlex.split(config["command"].format(**fill))
    with open(scratch / "log.txt", "w", encoding="utf-8") as log:
        subprocess.run(command, cwd=scratch, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    after = checkout_state(src)
    if after != before:
        raise SystemExit(f"{app}: the run wrote into the checkout:\n{after}")
    if not raw.exists():
        raise SystemExit(f"{app}: no raw trace written; see {scratch / 'log.txt'}")
    return raw


def main(argv: list[str] | None = None) -> int:
    """Trace (or reuse a raw trace) and build the truth file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("app")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--raw", type=Path)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args(argv)
    if args.raw is not None:
        raw = args.raw
    elif args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        raw = run(args.app, args.corpus, args.keep.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix=f"dataaccess-{args.app}-") as scratch:
            raw = run(args.app, args.corpus, Path(scratch))
            return build_truth.main([args.app, str(raw)])
    return build_truth.main([args.app, str(raw)])


if __name__ == "__main__":
    sys.exit(main())
