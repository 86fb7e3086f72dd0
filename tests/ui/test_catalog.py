"""The catalog: resources with a preview of their text for a user, and the gamification lists."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_a_resource_is_previewed_for_a_user_then_created(open_as, seeded, screenshots):
    page = open_as("admin")
    page.goto("/catalog/resources")
    page.get_by_role("button", name="Preview Welcome email for a user").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Preview for the user with external id").fill("p-1001")
    dialog.get_by_role("button", name="Preview", exact=True).click()
    expect(dialog.get_by_test_id("resource-preview")).to_contain_text("Welcome, alice!")
    expect(dialog.get_by_test_id("resource-preview")).to_contain_text("Hello alice, your bonus waits.")
    dialog.get_by_label("Preview for the user with external id").fill("nobody")
    dialog.get_by_role("button", name="Preview", exact=True).click()
    expect(dialog.get_by_role("alert")).to_contain_text("no user with external id 'nobody'")
    page.keyboard.press("Escape")

    page.get_by_role("button", name="New resource").click()
    form = page.get_by_role("dialog", name="New resource")
    form.get_by_label("Name").fill("Deposit thanks SMS")
    form.get_by_role("combobox", name="Channel").click()
    form.get_by_role("option", name="SMS").click()
    form.get_by_role("textbox", name="Text").fill("Thanks {{ user.username }}!")
    form.get_by_label("Preview for the user with external id").fill("p-1002")
    form.get_by_role("button", name="Preview", exact=True).click()
    expect(form.get_by_test_id("resource-preview")).to_have_text("Thanks bruno!")
    page.screenshot(path=screenshots / "07-resource-preview.png")
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_role("row", name=re.compile("Deposit thanks SMS"))).to_contain_text("SMS")


def test_the_catalog_sections(open_as, seeded, screenshots):
    page = open_as("admin")
    for slug, heading, expected in (
        ("resources", "Resources", "Welcome email"),
        ("bonus-templates", "Bonus templates", "10 free spins"),
        ("levels", "Levels", None),
        ("leaderboard", "Leaderboard", None),
        ("operators", "Operators", "analyst"),
    ):
        page.goto(f"/catalog/{slug}")
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        if expected:
            expect(page.get_by_role("main").get_by_text(expected).first).to_be_visible()
        if slug == "levels":
            expect(page.get_by_label("Level 2 name")).to_have_value("Silver")
        page.screenshot(path=screenshots / f"07-catalog-{slug}.png")
