"""How long each backoffice screen takes to show its data, in Debian's Chromium.

    .venv/bin/python bench/ui_screens.py --runs 5

Starts `questline serve` on a SQLite file of its own, fills it through the GraphQL
API with the UI tests' data set (or, with --demo, runs `questline demo` first when the
command exists), then opens every screen --runs times in a fresh page and times from
navigation to the screen's content shown (its heading shown and no loader left).
Each screen's runs share one browser context, as an operator's tab does: the first
run loads the bundle (cold), the others find its hashed files in the cache. Prints the
cold run and the median of the warm ones per screen.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright

from tests.live import QL, live_server
from tests.ui.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT
from tests.ui.seed import Seeded, seed


def screens(s: Seeded) -> list[tuple[str, str]]:
    journey = s.journeys.get("welcome") or next(iter(s.journeys.values()))
    user = next(iter(s.users.values()))
    return [
        ("journeys", "/journeys"),
        ("journey graph", f"/journeys/{journey}"),
        ("participants", f"/journeys/{journey}/users"),
        ("journey communications", f"/journeys/{journey}/communications"),
        ("reports", f"/journeys/{journey}/reports"),
        ("versions", f"/journeys/{journey}/versions"),
        ("users", "/users"),
        ("user profile", f"/users/{user}"),
        ("communications", "/communications"),
        ("resources", "/catalog/resources"),
        ("leaderboard", "/catalog/leaderboard"),
    ]


def time_screen(page, path: str) -> float:
    started = time.perf_counter()
    page.goto(path)
    expect(page.get_by_role("main").get_by_role("heading").first).to_be_visible(timeout=30_000)
    expect(page.get_by_label("Loading")).to_have_count(0, timeout=30_000)
    return time.perf_counter() - started


def time_runs(browser, base: str, token: str, path: str, runs: int) -> list[float]:
    context = browser.new_context(viewport=VIEWPORT, base_url=base)
    context.add_init_script(f"window.localStorage.setItem('questline.token', {token!r});")
    page = context.new_page()
    times = [time_screen(page, path) for _ in range(runs)]
    context.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--demo", action="store_true", help="load `questline demo` before measuring")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp)) as server:
        if args.demo:
            subprocess.run([QL, "demo", "--yes"], env=server.env, check=True, timeout=600)
        seeded = seed(server)
        print(f"{platform.node()}: {platform.processor() or platform.machine()}, Chromium {CHROMIUM}")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            time_runs(browser, server.base, server.token, "/journeys", 1)  # the server's first answers
            print(f"{'screen':<24}{'cold ms':>9}{'warm median ms':>16}{'warm slowest ms':>17}")
            for name, path in screens(seeded):
                cold, *warm = time_runs(browser, server.base, server.token, path, args.runs + 1)
                print(f"{name:<24}{cold * 1000:>9.0f}{statistics.median(warm) * 1000:>16.0f}{max(warm) * 1000:>17.0f}")
            browser.close()


if __name__ == "__main__":
    main()
