"""The backoffice in Debian's Chromium (Playwright for Python), against a real `questline serve`.

Chromium is Debian's package (`apt-get install chromium`), launched by path: the
tests never download a browser. Without it, or without the `playwright` package, the
tests are skipped with a message, and under CI=true they fail.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import LiveServer, live_server
from tests.services import in_ci
from tests.ui.seed import Seeded, seed

CHROMIUM = Path(os.environ.get("QUESTLINE_TEST_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}


def _missing(message: str) -> None:
    if in_ci():
        pytest.fail(f"CI=true: {message}", pytrace=False)
    pytest.skip(message)


# Per module, not per session: the sync API runs an event loop of its own in this
# thread while it is open, and the suite's async tests need the thread's loop free.
@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing; install Debian's Chromium: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is missing: pip install -e '.[test]'")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("ui")) as server:
        yield server


@pytest.fixture(scope="session")
def seeded(ui_server: LiveServer) -> Seeded:
    return seed(ui_server)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = Path(os.environ.get("QUESTLINE_SCREENSHOTS") or tempfile.mkdtemp(prefix="questline-screens-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def open_as(chromium, ui_server: LiveServer, seeded: Seeded):
    """A new browser page, logged in as the named operator (the token set as the UI keeps it)."""
    contexts = []

    def opener(username: str = "admin"):
        context = chromium.new_context(viewport=VIEWPORT, base_url=ui_server.base, accept_downloads=True)
        token = seeded.tokens[username]
        context.add_init_script(f"window.localStorage.setItem('questline.token', {token!r});")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture
def anonymous_page(chromium, ui_server: LiveServer):
    context = chromium.new_context(viewport=VIEWPORT, base_url=ui_server.base)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        _missing(f"{AXE} is missing; run `npm ci` in frontend/")
    return AXE.read_text()
