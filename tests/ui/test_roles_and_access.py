"""An ANALYST is offered nothing they may not do; a MANAGER sees only their access groups."""

from __future__ import annotations

import re

from playwright.sync_api import expect

EDIT_BUTTONS = re.compile(r"^(Activate|Stop|Clone|Delete|Remove|New .*|Edit|Adjust points|Grant a bonus|Save.*)$")


def _no_edit_controls(page) -> None:
    expect(page.get_by_role("button", name=EDIT_BUTTONS)).to_have_count(0)


def test_an_analyst_sees_no_edit_controls(open_as, seeded, screenshots):
    page = open_as("analyst")
    page.goto("/journeys")
    expect(page.get_by_test_id("operator-role")).to_have_text("ANALYST")
    expect(page.get_by_role("link", name="Welcome series")).to_be_visible()
    expect(page.get_by_role("link", name="VIP reactivation")).to_have_count(0)  # outside the analyst's groups
    _no_edit_controls(page)
    page.screenshot(path=screenshots / "08-analyst-journeys.png")

    page.get_by_role("link", name="Welcome series").click()
    expect(page.get_by_test_id("count-await_deposit")).to_be_visible()
    _no_edit_controls(page)
    page.get_by_test_id("count-await_deposit").click()
    expect(page.get_by_test_id("step-entry").first).to_be_visible()
    expect(page.get_by_role("button", name="Payload").first).to_be_visible()  # reading is allowed
    _no_edit_controls(page)

    for path in (
        f"/journeys/{seeded.journeys['welcome']}/users",
        f"/users/{seeded.users['p-1004']}",
        "/catalog/resources",
        "/catalog/bonus-templates",
        "/catalog/badges",
        "/catalog/missions",
        "/catalog/levels",
    ):
        page.goto(path)
        expect(page.get_by_role("main").get_by_role("heading").first).to_be_visible()
        page.wait_for_load_state("networkidle")
        _no_edit_controls(page)
    expect(page.get_by_role("link", name="Operators")).to_have_count(0)
    page.goto("/catalog/operators")
    expect(page).to_have_url(re.compile("/catalog/resources$"))


def test_a_manager_sees_only_the_journeys_of_their_groups_and_may_act_on_them(open_as, seeded):
    page = open_as("manager")
    page.goto("/journeys")
    expect(page.get_by_role("link", name="EU weekend push")).to_be_visible()
    expect(page.get_by_role("link", name="Welcome series")).to_be_visible()  # a journey with no groups is open
    expect(page.get_by_role("link", name="VIP reactivation")).to_have_count(0)
    expect(page.get_by_role("button", name="Stop EU weekend push")).to_be_visible()
    page.goto(f"/journeys/{seeded.journeys['vip']}")
    expect(page.get_by_role("alert")).to_contain_text("no journey with this id")
    page.goto("/catalog/levels")
    expect(page.get_by_role("button", name="Save the levels")).to_have_count(0)  # levels are the ADMIN's


def test_a_refused_action_shows_the_servers_message_where_the_operator_acted(open_as, seeded):
    page = open_as("admin")
    page.goto("/catalog/bonus-templates")
    page.get_by_role("button", name="New bonus template").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("10 free spins")  # the name is taken
    dialog.get_by_role("textbox", name="Amount").fill("5")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).to_be_visible()
    expect(dialog).to_be_visible()
