"""Finding a user, their path through a journey, the communication log and the reports."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_find_a_user_open_their_path_and_stop_their_entry(open_as, seeded, screenshots):
    page = open_as("admin")
    page.goto("/users")
    page.get_by_label("Find a user by username, external id, email or phone").fill("chiara")
    expect(page.get_by_test_id("user-row")).to_have_count(1)
    page.screenshot(path=screenshots / "04-users.png")
    page.get_by_role("link", name="chiara").click()
    expect(page.get_by_role("heading", name="chiara")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Welcome series"))).to_contain_text("WAITING")
    page.screenshot(path=screenshots / "06-user-profile.png")

    page.get_by_role("link", name="Open path in Welcome series, round 1").click()
    expect(page.get_by_test_id("blocked-reason")).to_contain_text("waiting for event 'deposit'")
    steps = page.get_by_test_id("entry-step")
    expect(steps.first).to_contain_text("Welcome email")
    expect(steps.first).to_contain_text("sent")
    expect(page.get_by_role("row", name=re.compile("Progress status"))).to_contain_text("Entered -> Sent")
    graph = page.get_by_test_id("journey-graph")
    expect(graph.get_by_test_id("step-await_deposit")).to_be_visible()
    page.screenshot(path=screenshots / "04b-entry-path.png")

    page.get_by_role("button", name="Stop this entry").click()
    page.get_by_role("dialog").get_by_role("button", name="Stop entry").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_text("STOPPED", exact=True).first).to_be_visible()
    expect(page.get_by_role("button", name="Stop this entry")).to_have_count(0)
    stopped = seeded.call(
        "query($x: String) { user(externalId: $x) { entries(first: 5) { edges { node { status journey { name } } } } } }",
        {"x": "p-1003"},
    )
    statuses = {e["node"]["journey"]["name"]: e["node"]["status"] for e in stopped["user"]["entries"]["edges"]}
    assert statuses["Welcome series"] == "STOPPED"


def test_the_participants_tab_filters_by_period_and_control_group(open_as, seeded, screenshots):
    page = open_as("admin")
    page.goto(f"/journeys/{seeded.journeys['welcome']}/users")
    expect(page.get_by_test_id("participant").first).to_be_visible()
    total = page.get_by_test_id("participant").count()
    assert total >= 5
    page.get_by_label("Search by username or external id").fill("p-1001")
    expect(page.get_by_test_id("participant")).to_have_count(1)
    expect(page.get_by_test_id("participant")).to_contain_text("alice")
    page.get_by_label("Search by username or external id").fill("")
    page.get_by_text("7 d", exact=True).click()
    expect(page).to_have_url(re.compile("period=LAST_7_DAYS"))
    expect(page.get_by_test_id("participant")).to_have_count(total)
    page.screenshot(path=screenshots / "04c-participants.png")
    page.get_by_role("combobox", name="Control group").click()
    page.get_by_role("option", name="Yes").click()
    expect(page.get_by_text("No entry matches these filters.")).to_be_visible()


def test_the_communication_log_and_its_filters(open_as, seeded, screenshots):
    page = open_as("admin")
    page.goto("/communications")
    rows = page.get_by_test_id("communication")
    expect(rows.first).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Welcome email")).first).to_be_visible()
    page.screenshot(path=screenshots / "04d-communications.png")
    page.get_by_role("combobox", name="Channel").click()
    page.get_by_role("option", name="SMS").click()
    expect(page.get_by_text("No message matches these filters.")).to_be_visible()
    expect(page).to_have_url(re.compile("channel=SMS"))
    page.get_by_role("combobox", name="Channel").click()
    page.get_by_role("option", name="EMAIL").click()
    page.get_by_label("Resource name").fill("welcome")
    # both filters hold, the channel picked just before the name was typed included
    expect(page).to_have_url(re.compile(r"(?=.*channel=EMAIL)(?=.*resource=welcome)"))
    expect(page.get_by_role("combobox", name="Channel")).to_have_value("EMAIL")
    expect(rows.first).to_be_visible()
    for text in rows.all_inner_texts():
        assert "Welcome email" in text and "EMAIL" in text
    page.get_by_label("User").fill("alice")
    expect(rows).to_have_count(1)
    page.get_by_role("button", name="Read the message to p-1001").click()
    expect(page.get_by_test_id("message-subject")).to_have_text("Welcome, alice!")
    expect(page.get_by_test_id("message-text")).to_have_text("Hello alice, your bonus waits.")


def test_the_reports_show_statistics_funnel_uplift_and_channels(open_as, seeded, screenshots):
    page = open_as("admin")
    page.goto(f"/journeys/{seeded.journeys['welcome']}/reports")
    stats = seeded.call(
        "query($id: ID!) { journey(id: $id) { stats(period: LAST_30_DAYS) { entered converted } } }",
        {"id": seeded.journeys["welcome"]},
    )["journey"]["stats"]
    expect(page.get_by_test_id("stat-Entered")).to_have_text(str(stats["entered"]))
    expect(page.get_by_test_id("stat-Converted")).to_have_text(str(stats["converted"]))
    funnel = page.get_by_role("img", name=re.compile("Funnel"))
    expect(funnel.locator(".recharts-bar-rectangle")).to_have_count(6)  # one bar per status of the ladder
    expect(funnel).to_contain_text("Converted")
    expect(page.get_by_test_id("uplift")).to_contain_text("Uplift")
    expect(page.get_by_role("row", name=re.compile("Welcome email"))).to_contain_text("EMAIL")
    page.screenshot(path=screenshots / "05-reports.png", full_page=True)
