"""The static scan finds exactly the routes flask_shop registers at run time.

The framework's own view comes from importing the sample in a child process
(our own code: the scanner itself never imports anything) and reading
`app.url_map` and `app.view_functions`; class-based views and Flask-RESTful
resources expand to one (path, method, handler) per HTTP method, as the
report does. Flask's generated `static` route is not the application's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from migrate_scan.options import ScanOptions
from migrate_scan.pipeline import run
from migrate_scan.stages.recognize.paths import flask_canonical

SAMPLE_ROOT = Path(__file__).resolve().parents[2] / "sample_monoliths" / "flask_shop"

CHILD_SCRIPT = """
import inspect, json
from shop import create_app

app = create_app("testing")
found = []
for rule in app.url_map.iter_rules():
    if rule.endpoint == "static":
        continue
    view = app.view_functions[rule.endpoint]
    view_class = getattr(view, "view_class", None)
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
        if view_class is not None:
            handler = getattr(view_class, method.lower(), None) or view_class.dispatch_request
        else:
            handler = view
        handler = inspect.unwrap(handler)
        found.append([rule.rule, method, f"{handler.__module__}:{handler.__qualname__}"])
print(json.dumps(found))
"""


def runtime_routes() -> set[tuple[str, str, str]]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SAMPLE_ROOT), env.get("PYTHONPATH")]))
    completed = subprocess.run(
        [sys.executable, "-c", CHILD_SCRIPT], cwd=SAMPLE_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    return {(flask_canonical(rule), method, handler) for rule, method, handler in json.loads(completed.stdout)}


def test_static_routes_equal_the_url_map(tmp_path: Path) -> None:
    report = run(ScanOptions(root=SAMPLE_ROOT, jobs=2, use_cache=False, cache_dir=tmp_path))
    static = {(route.path, method, route.handler) for route in report.routes for method in route.methods}
    runtime = runtime_routes()
    assert len(runtime) > 40
    assert static - runtime == set(), "routes the app does not register"
    assert runtime - static == set(), "routes the scan missed"
