"""The dashboard in a real browser, served without network access.

The server runs in its own network namespace with only the loopback interface up, so it
cannot reach any other host (a missing front-end asset would be a failed fetch and a 404, not
a silent download); it serves on a socket the test opened on this machine's loopback. Debian's
Chromium, driven by Playwright, runs with background networking off and every request routed
through a guard that lets only loopback URLs through and records any other. The test loads the
page, switches to a scenario from an extra scenario folder, resets, plays and pauses, steps to
the end, checks that the headline numbers and the quarter change and that the scenario differs
from its paired baseline, switches to Vietnamese, and saves two screenshots: into a temporary
folder, or into the folder named by ``HCMC_SCREENSHOTS`` (``HCMC_SCREENSHOTS=experiments/gallery``
regenerates the gallery's pictures), so a test run leaves the checkout as it found it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from simulation.apps.dashboard.levers import DEFAULT_PAIRED_SEEDS
from simulation.timeline import parse_quarter, quarter_label

from .conftest import ROOT

pytestmark = pytest.mark.slow  # about 35 s: a server, a browser and some 25 simulated quarters

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
SCENARIO = """\
name: dashboard_check
description: Strong levers from 2023Q2 (browser test of the dashboard).
agreements:
  - budget_bn_per_year: 8.0
incentives:
  - cit_regime: special
    capex_subsidy_pct: 20.0
land:
  - hectares_per_year: 100.0
"""


# Starts the dashboard with an audit hook that reports every attempt to resolve or connect to
# a host other than this machine (Python raises an audit event for each), so the test sees an
# attempt even though the namespace makes it fail.
AUDITED_START = """
import runpy, socket, sys
LOCAL = ("127.", "::1", "localhost", "0.0.0.0", "::")
def hook(event, args):
    if event == "socket.getaddrinfo":
        host = args[0]
    elif event in ("socket.connect", "socket.sendto"):
        if args[0].family == socket.AF_UNIX:
            return
        host = args[-1][0] if isinstance(args[-1], tuple) else args[-1]
    else:
        return
    host = host.decode() if isinstance(host, bytes) else str(host)
    if host and not host.startswith(LOCAL):
        print("OUTBOUND", event, host, file=sys.stderr, flush=True)
sys.addaudithook(hook)
sys.argv[0] = "simulation.dashboard"
runpy.run_module("simulation.dashboard", run_name="__main__", alter_sys=True)
"""


def _interfaces(pid: int) -> set[str]:
    lines = Path(f"/proc/{pid}/net/dev").read_text().splitlines()[2:]
    return {line.split(":")[0].strip() for line in lines}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The dashboard on a loopback port of this machine, running in a network namespace."""
    if not (shutil.which("unshare") and shutil.which("ip")):
        pytest.fail("the offline test needs `unshare` (util-linux) and `ip` (iproute2)")
    base = tmp_path_factory.mktemp("dashboard")
    (base / "talk" / "scenario").mkdir(parents=True)  # --scenario-dir talk, relative to cwd
    (base / "talk" / "scenario" / "dashboard_check.yaml").write_text(SCENARIO)
    # the venv seen from the server's folder as from a project folder: the page's command
    # reads .venv/bin/hcmc-run, as for a presenter who ran `make dashboard`
    venv = Path(sys.executable).parent.parent
    (base / ".venv").symlink_to(venv, target_is_directory=True)
    python = base / ".venv" / "bin" / Path(sys.executable).name
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # a free port, held open: no race with other programs
    sock.listen(64)
    port = sock.getsockname()[1]
    fd = sock.fileno()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    script = 'ip link set lo up && exec "$@"'
    cmd = ["unshare", "--net", "--map-root-user", "sh", "-c", script, "sh", str(python),
           "-c", AUDITED_START, "--fd", str(fd), "--scenario-dir", "talk"]
    log = tmp_path_factory.mktemp("server") / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, pass_fds=(fd,), stdout=out, stderr=subprocess.STDOUT,
                                cwd=base, env=env, start_new_session=True)
    sock.close()  # the server holds its own copy
    url = f"http://localhost:{port}/"
    t0 = time.monotonic()
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"dashboard exited with {proc.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2):
                    break
            except OSError:
                if time.monotonic() - t0 > 90:
                    pytest.fail(f"dashboard did not answer within 90 s:\n{log.read_text()}")
                time.sleep(0.3)
        yield {"url": url, "pid": proc.pid, "log": log, "start_s": time.monotonic() - t0,
               "cwd": str(base)}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def test_server_has_no_network_but_loopback(server):
    pid = server["pid"]
    assert os.readlink(f"/proc/{pid}/ns/net") != os.readlink("/proc/self/ns/net")
    assert _interfaces(pid) == {"lo"}
    probe = subprocess.run(["nsenter", "-t", str(pid), "-n", sys.executable, "-c",
                            "import socket; socket.create_connection(('192.0.2.1', 80), 3)"],
                           capture_output=True, text=True)
    assert probe.returncode != 0 and "unreachable" in probe.stderr.lower()


def _headline(page) -> dict[str, str]:
    return page.eval_on_selector_all(
        "#hcmc-headline tr[data-metric] td[data-col]",
        "els => Object.fromEntries(els.map(e => "
        "[e.closest('tr').dataset.metric + '.' + e.dataset.col, e.textContent]))")


def _number(text: str) -> float:
    return float(text.split(" (")[0].replace(",", "").replace("+", ""))


def _interval(text: str) -> tuple[float, float]:
    low, high = text.strip("[]").split(", ")
    return _number(low), _number(high)


def _wait_charts(page, stamp: str) -> None:
    for chart in ("hcmc-bars", "hcmc-map", "hcmc-series"):
        page.wait_for_selector(f"img.{chart}.{stamp}", timeout=30_000)


def test_dashboard_in_browser_offline(server, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    outside, sockets, errors, bad = [], [], [], []

    def guard(route):
        url = route.request.url
        if url.startswith(("blob:", "data:")) or urlparse(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        context.route("**/*", guard)
        page = context.new_page()
        page.on("websocket", lambda ws: sockets.append(ws.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("response", lambda r: bad.append(f"{r.status} {r.url}") if r.status >= 400
                else None)
        page.goto(server["url"])
        page.wait_for_selector("#hcmc-headline", timeout=60_000)
        _wait_charts(page, "hcmc-at-start-en")
        assert page.inner_text("#hcmc-scenario") == "baseline"
        start = _headline(page)
        assert _number(start["registered.scenario"]) == 0  # nothing recorded before 2020Q1

        # choose the scenario from the extra folder; it takes effect on Reset
        page.locator(".v-select").filter(has_text="Scenario").first.click()
        page.locator(".v-menu__content .v-list-item").filter(has_text="dashboard_check").click()
        page.get_by_role("button", name="Reset").click()
        page.wait_for_function(
            "document.querySelector('#hcmc-scenario')?.textContent === 'dashboard_check'",
            timeout=60_000)

        # play a few quarters, then pause: the quarter stops moving
        page.get_by_role("button", name="▶").click()
        page.wait_for_function(
            "/^20[2-9][0-9]Q[1-4]$/.test(document.querySelector('#hcmc-quarter')?.textContent)"
            " && document.querySelector('#hcmc-quarter').textContent >= '2020Q3'",
            timeout=60_000)
        page.get_by_role("button", name="❚❚").click()
        page.get_by_role("button", name="▶").wait_for(timeout=30_000)
        seen_q = [page.inner_text("#hcmc-quarter")]
        for _ in range(30):  # steps under way when pausing still land, then nothing moves
            time.sleep(1.0)
            seen_q.append(page.inner_text("#hcmc-quarter"))
            if len(seen_q) > 3 and len(set(seen_q[-4:])) == 1:
                break
        paused = seen_q[-1]
        time.sleep(3.0)
        assert page.inner_text("#hcmc-quarter") == paused, seen_q
        assert _number(_headline(page)["registered.scenario"]) > 0

        # five quarters per click of Step (Mesa's render interval slider: 1 -> 5), to the end
        thumb = page.locator(".v-slider").nth(1).locator("[role=slider]")
        thumb.focus()
        for _ in range(2):
            thumb.press("ArrowRight")
        assert thumb.get_attribute("aria-valuenow") == "5"
        quarter, last, seen = parse_quarter(paused), parse_quarter("2025Q4"), [_headline(page)]
        while quarter < last:
            quarter = min(quarter + 5, last)
            page.get_by_role("button", name="Step").click()
            page.wait_for_function(
                "document.querySelector('#hcmc-quarter')?.textContent === "
                f"'{quarter_label(quarter)}'", timeout=60_000)
            seen.append(_headline(page))
            assert seen[-1] != seen[-2]  # the numbers move with every step
        _wait_charts(page, "hcmc-at-2025Q4-en")
        after = seen[-1]
        for key in ("licensed", "registered", "disbursed", "jobs", "revenue"):
            assert _number(after[f"{key}.scenario"]) > _number(start[f"{key}.scenario"]), key
        # the levers start in 2023Q2: by 2025Q4 more capital is registered than in the baseline
        assert _number(after["registered.difference"]) > 0
        assert _number(after["registered.scenario"]) == pytest.approx(
            _number(after["registered.baseline"]) + _number(after["registered.difference"]),
            abs=1.0)
        # means over the paired seeds, each difference with its interval; the page says so
        assert f"Means over {DEFAULT_PAIRED_SEEDS} paired seeds" in page.inner_text(
            "#hcmc-headline")
        for key in ("licensed", "registered", "disbursed", "jobs", "revenue"):
            low, high = _interval(after[f"{key}.interval"])
            assert low <= _number(after[f"{key}.difference"]) <= high, key
        assert page.get_by_role("button", name="Step").is_disabled()  # the horizon is reached
        shots = Path(os.environ.get("HCMC_SCREENSHOTS") or tmp_path)
        shots = shots if shots.is_absolute() else ROOT / shots
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "dashboard.png"))
        command = page.inner_text("#hcmc-command")

        # Vietnamese: texts and names in NFC, Vietnamese number format
        page.get_by_role("button", name="vi", exact=True).click()
        _wait_charts(page, "hcmc-at-2025Q4-vi")
        text = page.inner_text("#hcmc-headline")
        assert "Vốn đăng ký" in text and "Chín tỉnh đối tác" in text
        assert unicodedata.is_normalized("NFC", text)
        vi_numbers = _headline(page)
        assert "." in vi_numbers["registered.scenario"]  # 12.345 in Vietnamese
        scenario_select = page.locator(".v-select").filter(has_text="Kịch bản")
        scenario_select.first.wait_for(timeout=30_000)  # the sidebar is redrawn in Vietnamese
        assert scenario_select.count() == 1
        assert "dashboard_check" in page.locator(".v-select").filter(
            has_text="Kịch bản").first.inner_text()  # the choice survives the switch
        page.screenshot(path=str(shots / "dashboard_vi.png"))
        context.close()
        browser.close()

    # the page's command runs as printed, in a plain shell in the dashboard's folder
    assert command.startswith(".venv/bin/hcmc-run scenario=dashboard_check "), command
    rerun = subprocess.run(["bash", "-c", command], cwd=server["cwd"], capture_output=True,
                           text=True, timeout=300,
                           env={"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": server["cwd"]})
    assert rerun.returncode == 0, rerun.stderr
    assert "Results written to results/runs/dashboard_check/" in rerun.stdout
    assert not outside, f"requests left this machine: {outside}"
    assert sockets and all(urlparse(u).hostname in LOCAL_HOSTS for u in sockets), sockets
    assert not bad, f"failed responses: {bad}"
    assert not errors, f"console errors: {errors}"
    log = server["log"].read_text()
    assert "OUTBOUND" not in log, log  # the server never tried to reach another machine
    assert "Could not load URL" not in log, log  # no asset was missing from the cache
    assert "Traceback" not in log, log
