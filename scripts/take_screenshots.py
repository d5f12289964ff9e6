"""Take the README / Apps screenshots from a running Odoo with the addon and its demo data.

Usage: scripts/take-screenshots (starts the server, finds a candidate's preference page, runs this),
or by hand with Odoo's virtualenv python (it has requests and websocket-client):
    scripts/run-odoo passive_demo --with-demo -p 8169 &        # once the server is up:
    python scripts/take_screenshots.py --url http://localhost:8169 --db passive_demo

Logs in through /web/session/authenticate, hands the session cookie to headless Chromium over the
DevTools protocol, opens each page, waits until its content is there and saves a 1440x900 PNG in
static/description/.
"""

import argparse
import base64
import itertools
import json
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import requests
import websocket

OUT = Path(__file__).resolve().parent.parent / "static" / "description"
ACTION = "action-hr_recruitment_passive.hr_applicant_action_passive"
TOUCHPOINTS = "action-hr_recruitment_passive.hr_recruitment_touchpoint_action"
DRIPS = "action-hr_recruitment_passive.hr_recruitment_drip_action"
DRIP_ANALYTICS = "action-hr_recruitment_passive.hr_recruitment_touchpoint_action_drip_analytics"


def click_js(selector, text=None):
    """JS clicking the first element matching selector (and whose text is text)."""
    if text is None:
        return f"document.querySelector({json.dumps(selector)}).click()"
    return (
        f"[...document.querySelectorAll({json.dumps(selector)})]"
        f".find((el) => el.textContent.trim() === {json.dumps(text)}).click()"
    )


# file: the PNG in static/description; path: the URL ({talent_id}, {drip_id} filled in);
# ready: a selector present once the page is drawn; then: JS to run, then_ready: selector after it;
# model / xmlid: skip the shot when this model / record does not exist (feature not installed)
SHOTS = [
    {"file": "passive_candidates_list.png", "path": f"/odoo/{ACTION}", "ready": ".o_data_row"},
    {
        "file": "passive_candidates_kanban.png",
        "path": f"/odoo/{ACTION}?view_type=kanban",
        "ready": ".o_kanban_record:not(.o_kanban_ghost)",
    },
    {
        "file": "candidate_timeline.png",
        "path": f"/odoo/{ACTION}/{{talent_id}}",
        "ready": ".o_form_view .o_notebook",
        "then": click_js(".o_notebook .nav-link", "Timeline"),
        "then_ready": ".o_field_widget[name='touchpoint_ids'] .o_data_row",
    },
    {
        "file": "touchpoints_graph.png",
        "path": f"/odoo/{TOUCHPOINTS}?view_type=graph",
        "ready": ".o_graph_view canvas",
    },
    {
        "file": "drip_steps.png",
        "model": "hr.recruitment.drip",
        "path": f"/odoo/{DRIPS}/{{drip_id}}",
        "ready": ".o_field_widget[name='step_ids'] .o_data_row",
    },
    {
        "file": "drip_ab_test.png",
        "model": "hr.recruitment.drip",
        "path": f"/odoo/{DRIPS}/{{drip_id}}",
        "ready": ".o_field_widget[name='step_ids'] .o_data_row",
        "then": click_js(".o_field_widget[name='step_ids'] .o_data_row .o_data_cell"),
        "then_ready": ".modal .o_field_widget[name='variant_ids'] .o_data_row",
    },
    {
        "file": "drip_analytics_tab.png",
        "model": "hr.recruitment.drip",
        "path": f"/odoo/{DRIPS}/{{drip_id}}",
        "ready": ".o_form_view .o_notebook",
        "then": click_js(".o_notebook .nav-link", "Analytics"),
        "then_ready": ".o_notebook .tab-pane.active .o_field_widget[name='sent_count']",
    },
    {
        "file": "candidate_preference_page.png",
        "public": True,
        "path": "{preference_path}",
        "ready": "form h2",
    },
    {
        "file": "touchpoint_analysis.png",
        "xmlid": "hr_recruitment_passive.hr_recruitment_touchpoint_action_analysis",
        "path": "/odoo/action-hr_recruitment_passive.hr_recruitment_touchpoint_action_analysis",
        "ready": ".o_graph_view canvas",
    },
    {
        "file": "resource_library.png",
        "xmlid": "hr_recruitment_passive.hr_recruitment_resource_action",
        "path": "/odoo/action-hr_recruitment_passive.hr_recruitment_resource_action",
        "ready": ".o_data_row",
    },
    {
        "file": "drip_analytics.png",
        "model": "hr.recruitment.drip",
        "path": f"/odoo/{DRIP_ANALYTICS}",
        "ready": ".o_pivot_view .o_pivot table",
    },
]


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if path := shutil.which(name):
            return path
    raise SystemExit("no Chromium found on PATH (apt-get install chromium)")


def authenticate(base_url, db, login, password):
    session = requests.Session()
    response = session.post(
        f"{base_url}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": password}},
        timeout=60,
    )
    response.raise_for_status()
    if response.json().get("error"):
        raise SystemExit(f"login failed: {response.json()['error']}")
    return session


def call(session, base_url, model, method, *args, **kwargs):
    response = session.post(
        f"{base_url}/web/dataset/call_kw",
        json={
            "jsonrpc": "2.0",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
        },
        timeout=60,
    )
    result = response.json()
    if "error" in result:
        raise RuntimeError(f"{model}.{method}: {result['error']['data']['message']}")
    return result["result"]


def default_ids(session, base_url):
    """The talent with the longest history and the first drip (the demo's running one)."""
    ids = {}
    talents = call(
        session,
        base_url,
        "hr.applicant",
        "search",
        [("is_passive_candidate", "=", True), ("touchpoint_count", ">", 0)],
        order="touchpoint_count desc, id",
        limit=1,
    )
    ids["talent_id"] = talents[0] if talents else 0
    has_drips = call(
        session, base_url, "ir.model", "search_count", [("model", "=", "hr.recruitment.drip")]
    )
    if has_drips:
        drips = call(session, base_url, "hr.recruitment.drip", "search", [], order="id", limit=1)
        ids["drip_id"] = drips[0] if drips else 0
    return ids


class Browser:
    def __init__(self, width, height):
        self.profile = tempfile.mkdtemp(prefix="passive-shots-")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.process = subprocess.Popen(
            [
                find_chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={port}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                targets = requests.get(f"http://127.0.0.1:{port}/json", timeout=2).json()
                page = next(t for t in targets if t["type"] == "page")
                break
            except (requests.ConnectionError, StopIteration):
                time.sleep(0.2)
        else:
            raise SystemExit("Chromium did not start")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.ids = itertools.count(1)
        self.send("Page.enable")
        self.send("Network.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def send(self, method, **params):
        msg_id = next(self.ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == msg_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=30):
        deadline = time.time() + timeout
        check = (
            f"!!document.querySelector({json.dumps(selector)})"
            " && !document.querySelector('.o_loading, .o_loading_indicator, .o_blockUI')"
        )
        while time.time() < deadline:
            if self.evaluate(check):
                time.sleep(1.0)  # let animations and lazy widgets settle
                return
            time.sleep(0.3)
        raise RuntimeError(f"timed out waiting for {selector}")

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://localhost:8169")
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--only", nargs="*", help="file names to take (default: all)")
    parser.add_argument(
        "--preference-path",
        default="",
        help="path of a candidate's preference page (/recruitment/preferences/<token>)",
    )
    args = parser.parse_args()
    session = authenticate(args.url, args.db, args.login, args.password)
    ids = default_ids(session, args.url)
    ids["preference_path"] = args.preference_path
    browser = Browser(1440, 900)
    try:
        browser.send(
            "Network.setCookie",
            name="session_id",
            value=session.cookies["session_id"],
            domain=urlparse(args.url).hostname,
            path="/",
        )
        for shot in SHOTS:
            name = shot["file"]
            if args.only and name not in args.only:
                continue
            if shot.get("model") and not call(
                session, args.url, "ir.model", "search_count", [("model", "=", shot["model"])]
            ):
                print(f"skipped {name}: {shot['model']} is not installed")
                continue
            if shot.get("xmlid") and not call(
                session,
                args.url,
                "ir.model.data",
                "search_count",
                [
                    ("module", "=", shot["xmlid"].split(".")[0]),
                    ("name", "=", shot["xmlid"].split(".")[1]),
                ],
            ):
                print(f"skipped {name}: {shot['xmlid']} does not exist")
                continue
            path = shot["path"].format(**ids)
            if shot.get("public") and (
                not path or requests.get(args.url + path, timeout=60).status_code != 200
            ):
                print(f"skipped {name}: no page at '{path}'")
                continue
            browser.send("Page.navigate", url=args.url + path)
            browser.wait_for(shot["ready"])
            if shot.get("then"):
                browser.evaluate(shot["then"])
                browser.wait_for(shot["then_ready"])
            png = base64.b64decode(browser.send("Page.captureScreenshot", format="png")["data"])
            (OUT / name).write_bytes(png)
            print(f"saved {OUT / name}")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
