"""How long each backoffice screen takes to show its data, in Debian's Chromium.

    .venv/bin/python bench/ui_screens.py --runs 3
    .venv/bin/python bench/ui_screens.py --database-url sqlite:////tmp/demo/q.db \\
        --username admin --password demo-pass-1 --screenshots docs/ui

Without --database-url it starts `questline serve` on a SQLite file of its own and
fills it through the GraphQL API with the UI tests' data set; with it, it serves that
database as it is (the demo data set, say) and logs in as the operator given. It
opens every screen --runs + 1 times in one browser tab, as an operator does, and times
from navigation to the screen's data shown (its heading shown and no loader left):
the first run loads the bundle (cold), the others find its hashed files in the cache
(warm). Prints the cold run and the median and slowest of the warm ones per screen;
with --screenshots, also saves a 1280x800 PNG of each screen there.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright

from tests.live import QL, free_port, graphql, live_server
from tests.ui.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT
from tests.ui.seed import seed

TARGETS = """{
  journeys(first: 100) { edges { node { id name status stats { inProgress } liveStats { stepId count } } } }
}"""
ENTRIES = """query($id: ID!) { journey(id: $id) { entries(first: 1) { edges { node { id user { id } } } } } }"""


def screens(base: str, token: str) -> list[tuple[str, str]]:
    """Every screen, on the journey with the most entries in progress and one of its users."""
    journeys = [e["node"] for e in graphql(base, TARGETS, token)["data"]["journeys"]["edges"]]
    journey = max(journeys, key=lambda j: j["stats"]["inProgress"])
    busiest = max(journey["liveStats"], key=lambda s: s["count"])["stepId"]
    entry = graphql(base, ENTRIES, token, {"id": journey["id"]})["data"]["journey"]["entries"]["edges"][0]["node"]
    j = f"/journeys/{journey['id']}"
    return [
        ("login", "/login"),
        ("journeys", "/journeys"),
        ("journey-graph", j),
        ("step-entries", f"{j}?step={busiest}"),
        ("participants", f"{j}/users"),
        ("entry-path", f"{j}/entries/{entry['id']}"),
        ("journey-communications", f"{j}/communications"),
        ("reports", f"{j}/reports"),
        ("versions", f"{j}/versions"),
        ("users", "/users"),
        ("user-profile", f"/users/{entry['user']['id']}"),
        ("communications", "/communications"),
        ("catalog-resources", "/catalog/resources"),
        ("catalog-badges", "/catalog/badges"),
        ("catalog-missions", "/catalog/missions"),
        ("catalog-leaderboard", "/catalog/leaderboard"),
    ]


@contextlib.contextmanager
def serve_existing(database_url: str, username: str, password: str) -> Iterator[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("QUESTLINE_")}
        env.update({"QUESTLINE_DATABASE_URL": database_url, "QUESTLINE_DATA_DIR": tmp})
        port = free_port()
        proc = subprocess.Popen(
            [QL, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        login = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    token = graphql(base, login, variables={"u": username, "p": password})["data"]["login"]["token"]
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("questline serve did not start") from None
                    time.sleep(0.3)
            if not token:
                raise SystemExit(f"cannot log in as {username}")
            yield base, token
        finally:
            proc.terminate()
            proc.wait(30)


@contextlib.contextmanager
def serve_test_data() -> Iterator[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp)) as server:
        seed(server)
        yield server.base, server.token


# A heading shown and no loader left, checked at every animation frame: Playwright's
# `expect` retries at 100, 250, 500 and then 1,000 ms, which rounds a time up to its
# next retry (most screens then read about 1 s).
SCREEN_SHOWN = """() => {
  const heading = document.querySelector('h1, h2, h3, h4, h5, h6, [role="heading"]');
  if (!heading || heading.getClientRects().length === 0) return false;
  return document.querySelectorAll('[aria-label="Loading"]').length === 0;
}"""


def time_screen(page, path: str) -> float:
    started = time.perf_counter()
    page.goto(path, wait_until="commit")
    page.wait_for_function(SCREEN_SHOWN, polling="raf", timeout=30_000)
    shown = time.perf_counter() - started
    expect(page.get_by_role("heading").first).to_be_visible()  # the same check, as a user reads it
    expect(page.get_by_label("Loading")).to_have_count(0)
    return shown


def time_runs(browser, base: str, token: str | None, path: str, runs: int, shot: Path | None) -> list[float]:
    context = browser.new_context(viewport=VIEWPORT, base_url=base)
    if token:
        context.add_init_script(f"window.localStorage.setItem('questline.token', {token!r});")
    page = context.new_page()
    times = [time_screen(page, path) for _ in range(runs)]
    if shot:
        page.wait_for_timeout(300)  # the graph's fit and the charts' animation
        page.screenshot(path=shot)
    context.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="warm runs per screen (after one cold run)")
    parser.add_argument("--database-url", help="serve this database as it is instead of the tests' data set")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password")
    parser.add_argument("--screenshots", type=Path, help="save a PNG of each screen in this folder")
    args = parser.parse_args()
    served = (
        serve_existing(args.database_url, args.username, args.password or "")
        if args.database_url
        else serve_test_data()
    )
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    with served as (base, token), sync_playwright() as pw:
        print(f"{platform.node()}: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        time_runs(browser, base, token, "/journeys", 1, None)  # the server's first answers
        print(f"{'screen':<24}{'cold ms':>9}{'warm median ms':>16}{'warm slowest ms':>17}")
        for name, path in screens(base, token):
            shot = args.screenshots / f"{name}.png" if args.screenshots else None
            cold, *warm = time_runs(browser, base, None if name == "login" else token, path, args.runs + 1, shot)
            print(f"{name:<24}{cold * 1000:>9.0f}{statistics.median(warm) * 1000:>16.0f}{max(warm) * 1000:>17.0f}")
        browser.close()
        print(f"load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
