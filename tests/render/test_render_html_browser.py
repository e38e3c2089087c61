"""The HTML report in a real headless Chromium with networking off.

Chromium is started with its own throw-away profile, a proxy that leads nowhere
and a resolver that resolves nothing, and driven over the Chrome DevTools
Protocol (websocket-client). The page must load with no console error, no
uncaught exception and no request other than the file itself; the main sections
must be in the rendered DOM; the module table's filter and sort must work; a
screenshot is saved to tests/artifacts/ (git-ignored). A control page that does
reach outside proves the harness notices. Skipped only when Chromium is absent
(`.ci/run` installs Debian's `chromium`).
"""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from migrate_scan.render import RenderOptions
from migrate_scan.render.html_report import render_html

websocket = pytest.importorskip("websocket", reason="websocket-client (test extra) is needed to drive Chromium")

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = next(
    (
        p
        for p in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
        if p and Path(p).exists()
    ),
    None,
)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")

LOCAL_SCHEMES = ("file:", "data:", "about:", "chrome:", "devtools:")


class Browser:
    """One headless Chromium and one page, driven over the DevTools protocol."""

    def __init__(self, profile: Path) -> None:
        assert CHROMIUM is not None
        self.process = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-dev-shm-usage",
                "--proxy-server=127.0.0.1:9",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--remote-debugging-port=0",
                f"--user-data-dir={profile}",
                "--window-size=1280,1600",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                pytest.fail("Chromium did not open its DevTools port")
            time.sleep(0.1)
        port, path = port_file.read_text().splitlines()[:2]
        self.socket = websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=30, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)

    def call(self, method: str, *, session: bool = False, **params: Any) -> dict[str, Any]:
        message_id = next(self.ids)
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv())
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while not any(e.get("method") == method for e in self.events):
            if time.monotonic() > deadline:
                raise AssertionError(f"no {method} within {seconds} s")
            self.events.append(json.loads(self.socket.recv()))

    def open(self, url: str) -> None:
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired")
        self.evaluate("new Promise(r => setTimeout(r, 300))")  # let late console messages arrive

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate", session=True, expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, and requests to anything but local files."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
                found.append(f"console {params['type']}: {params.get('args')}")
            elif method == "Runtime.exceptionThrown":
                found.append(f"exception: {params.get('exceptionDetails')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") in ("error", "warning"):
                found.append(f"log {params['entry'].get('level')}: {params['entry'].get('text')}")
            elif method == "Network.requestWillBeSent" and not params["request"]["url"].startswith(LOCAL_SCHEMES):
                found.append(f"request: {params['request']['url']}")
        return found

    def screenshot(self, target: Path) -> None:
        data = self.call("Page.captureScreenshot", session=True, format="png", captureBeyondViewport=True)["data"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        sock = getattr(self, "socket", None)
        if sock is not None:
            sock.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    started = Browser(tmp_path / "profile")
    try:
        yield started
    finally:
        started.close()


def test_html_report_loads_offline_with_no_error(browser: Browser, full_report, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(full_report, RenderOptions()), encoding="utf-8")

    browser.open(page.as_uri())

    assert browser.problems() == []
    dom = browser.evaluate(
        "({sections: Array.from(document.querySelectorAll('main > section')).map(s => s.id),"
        " cards: document.querySelectorAll('article.card').length,"
        " warnings: document.querySelectorAll('article.warning').length,"
        " nodes: document.querySelectorAll('svg.context-map g.map-node').length,"
        " edges: document.querySelectorAll('svg.context-map g.map-edge').length,"
        " scripts: document.scripts.length,"
        " injected: document.querySelectorAll('main script').length,"
        " title: document.title})"
    )
    assert dom == {
        "sections": ["summary", "plan", "contexts", "modules", "warnings", "inventory"],
        "cards": 4,
        "warnings": 5,
        "nodes": 4,
        "edges": 5,
        "scripts": 1,
        "injected": 0,  # the hostile `<script>` names stayed text
        "title": "Migration report: shop",
    }
    text = browser.evaluate("document.querySelector('#contexts').innerText")
    assert '<script>alert("x&y")</script>' in text  # shown as text, not run

    filtered = browser.evaluate(
        "(() => { const f = document.getElementById('module-filter'); f.value = 'fargate';"
        " f.dispatchEvent(new Event('input'));"
        " return [document.getElementById('module-count').textContent,"
        " Array.from(document.querySelectorAll('#module-table tbody tr')).filter(r => !r.hidden)"
        ".map(r => r.cells[0].textContent)]; })()"
    )
    assert filtered == ["1 of 6 modules", ["shop.orders.video"]]
    sorted_lines = browser.evaluate(
        "(() => { const f = document.getElementById('module-filter'); f.value = '';"
        " f.dispatchEvent(new Event('input'));"
        " const b = document.querySelectorAll('#module-table th button')[6]; b.click(); b.click();"
        " return Array.from(document.querySelectorAll('#module-table tbody tr'))"
        ".map(r => +r.cells[6].textContent); })()"
    )
    assert sorted_lines == sorted(sorted_lines, reverse=True) and sorted_lines[0] == 400

    shot = ARTIFACTS / "html-report.png"
    browser.screenshot(shot)
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")


def test_html_report_without_analysis_loads_offline(browser: Browser, empty_report, tmp_path: Path) -> None:
    page = tmp_path / "bare.html"
    page.write_text(render_html(empty_report, RenderOptions()), encoding="utf-8")

    browser.open(page.as_uri())

    assert browser.problems() == []
    assert "not computed" in browser.evaluate("document.body.innerText")
    browser.screenshot(ARTIFACTS / "html-report-empty.png")


def test_the_harness_notices_a_page_that_reaches_outside(browser: Browser, tmp_path: Path) -> None:
    page = tmp_path / "leaky.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>x</title></head><body>"
        '<img src="http://example.invalid/pixel.png"><script>console.error("boom")</script></body></html>',
        encoding="utf-8",
    )

    browser.open(page.as_uri())

    problems = browser.problems()
    assert any(p.startswith("request: http://example.invalid/") for p in problems), problems
    assert any("boom" in p for p in problems), problems
