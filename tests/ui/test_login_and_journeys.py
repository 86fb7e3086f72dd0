"""Logging in, the journeys list and a journey's graph with its live counts."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect


def test_an_operator_logs_in_sees_their_name_and_role_and_logs_out(anonymous_page, screenshots):
    page = anonymous_page
    page.goto("/journeys?status=ACTIVE")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("Username").fill("admin")
    page.get_by_role("textbox", name="Password").fill("wrong-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("wrong username or password")
    page.screenshot(path=screenshots / "01-login.png")
    page.get_by_role("textbox", name="Password").fill("secret-123")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/journeys\?status=ACTIVE$"))  # back where the link pointed
    expect(page.get_by_test_id("operator-name")).to_have_text("admin")
    expect(page.get_by_test_id("operator-role")).to_have_text("ADMIN")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()


def test_an_expired_token_says_so_and_goes_back_to_the_login(chromium, ui_server):
    context = chromium.new_context(base_url=ui_server.base)
    context.add_init_script("window.localStorage.setItem('questline.token', 'expired-or-forged');")
    page = context.new_page()
    page.goto("/users")
    expect(page.get_by_role("status")).to_contain_text("Your session has expired")
    expect(page.get_by_label("Username")).to_be_visible()
    context.close()


def test_the_journeys_list_filters_and_shows_counts(open_as, seeded, screenshots):
    page = open_as("admin")
    page.goto("/journeys")
    row = page.get_by_role("row", name=re.compile("Welcome series"))
    expect(row).to_contain_text("ACTIVE")
    expect(row).to_contain_text("onboarding")
    expect(row).to_contain_text("EVENT")
    page.screenshot(path=screenshots / "02-journeys.png")
    page.get_by_label("Search by name").fill("weekend")
    expect(page.get_by_role("row", name=re.compile("Welcome series"))).to_have_count(0)
    expect(page.get_by_role("row", name=re.compile("EU weekend push"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"search=weekend"))


def test_a_journey_shows_its_graph_and_live_counts_move_with_events(open_as, seeded, screenshots):
    page = open_as("admin")
    page.goto("/journeys")
    page.get_by_role("link", name="Welcome series").click()
    graph = page.get_by_test_id("journey-graph")
    for step in ("welcome", "await_deposit", "big", "vip_bonus", "ab", "points", "loyalty", "nudge", "again"):
        expect(graph.get_by_test_id(f"step-{step}")).to_be_visible()
    # Branches are labelled outputs; the unconfigured step is outlined and says why.
    expect(graph.get_by_test_id("step-big")).to_contain_text("yes")
    expect(graph.get_by_test_id("step-ab")).to_contain_text("A")
    expect(graph.get_by_test_id("step-await_deposit")).to_contain_text("timeout")
    expect(graph.get_by_test_id("step-loyalty")).to_have_attribute("data-configured", "false")
    expect(graph.get_by_test_id("step-loyalty")).to_contain_text("Not configured")
    waiting = seeded.live_count("welcome", "await_deposit")
    expect(graph.get_by_test_id("count-await_deposit")).to_have_text(str(waiting))
    page.screenshot(path=screenshots / "03-journey-graph.png")

    seeded.track(("p-1006", "signup", {"source": "app"}))
    expect(graph.get_by_test_id("count-await_deposit")).to_have_text(str(waiting + 1), timeout=15_000)

    graph.get_by_test_id("count-await_deposit").click()
    drawer = page.get_by_role("dialog", name=re.compile("Entries at Waits for a deposit"))
    expect(drawer.get_by_test_id("step-entry")).to_have_count(waiting + 1)
    expect(drawer).to_contain_text("farid")
    page.screenshot(path=screenshots / "03b-step-entries.png")
    with page.expect_download() as download:
        drawer.get_by_role("button", name="Download the payload of p-1006's entry").click()
    saved = json.loads(download.value.path().read_text())
    assert saved["user"]["externalId"] == "p-1006" and saved["payload"] == {"source": "app"}
    expect(page).to_have_url(re.compile(r"step=await_deposit"))
