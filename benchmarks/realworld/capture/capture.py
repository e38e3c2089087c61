"""Capture the runtime truth of one corpus app: `python benchmarks/realworld/capture/capture.py APP [APP...]`.

Reads `benchmarks/realworld/apps/<APP>.toml`, finds the checkout (`<corpus>/<APP>/src`) and the app's own
virtualenv (`<corpus>/<APP>/venv`), and runs the family's capture script (`<family>_truth.py` beside this file)
with that virtualenv's interpreter, in a scratch folder outside the checkout. The TOML table is handed over as
JSON (the app's interpreter may be older than tomllib). Writes `benchmarks/realworld/truth/<APP>.json` and
checks that booting wrote nothing into the checkout.

This is a benchmark tool: it runs the corpus apps' code, which migrate-scan itself never does.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REALWORLD = HERE.parent
# The corpus folder: $MIGRATE_SCAN_CORPUS, else `corpus/` beside the repository's checkout.
DEFAULT_CORPUS = Path(os.environ.get("MIGRATE_SCAN_CORPUS") or Path(__file__).resolve().parents[3].parent / "corpus")


def load_app(name: str) -> dict[str, object]:
    """The app's table from `apps/<name>.toml`."""
    with (REALWORLD / "apps" / f"{name}.toml").open("rb") as handle:
        return tomllib.load(handle)


def git(src: Path, *args: str) -> str:
    """Output of a git command in the checkout."""
    return subprocess.run(["git", "-C", str(src), *args], capture_output=True, text=True, check=True).stdout.strip()


def capture(name: str, corpus: Path, out_dir: Path) -> int:
    """Run the capture of one app; 0 on success."""
    config = load_app(name)
    src = corpus / name / "src"
    python = corpus / name / "venv" / "bin" / "python"
    if not src.is_dir() or not python.exists():
        print(f"{name}: needs {src} and {python}", file=sys.stderr)
        return 2
    head = git(src, "rev-parse", "HEAD")
    if head != config.get("commit"):
        print(f"{name}: checkout is at {head}, the app file pins {config.get('commit')}", file=sys.stderr)
        return 2
    config["src"] = str(src)
    script = HERE / f"{config.get('family', 'flask')}_truth.py"
    out = out_dir / f"{name}.json"
    with tempfile.TemporaryDirectory(prefix=f"capture-{name}-") as scratch:
        config_file = Path(scratch) / "config.json"
        config_file.write_text(json.dumps(config), encoding="utf-8")
        env = {"PATH": "/usr/bin:/bin", "HOME": scratch, "PYTHONDONTWRITEBYTECODE": "1", "TMPDIR": scratch}
        code = subprocess.run(
            [str(python), str(script), "--config", str(config_file), "--out", str(out)], cwd=scratch, env=env
        ).returncode
    dirty = git(src, "status", "--porcelain", "--ignored")
    if dirty:
        print(f"{name}: booting wrote into the checkout:\n{dirty}", file=sys.stderr)
        return 1
    return code


def main() -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description="Capture runtime truth for corpus apps.")
    parser.add_argument("apps", nargs="+", help="names of apps/<name>.toml")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder holding <app>/src and <app>/venv")
    parser.add_argument("--out-dir", type=Path, default=REALWORLD / "truth")
    args = parser.parse_args()
    return max(capture(name, args.corpus, args.out_dir) for name in args.apps)


if __name__ == "__main__":
    sys.exit(main())
