"""The journey editor's keyboard shortcuts, reconnecting an edge, the reactivation and
exit-rule forms, and step positions kept on the server for every operator."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from tests.ui.seed import Seeded
from tests.ui.test_editor import _add, _deselect, _document, _new_journey, _pick, _select_step, _wait_checked

READ = "query($id: ID!) { journey(id: $id) { definition layout version } }"


def _node(page: Page, step_id: str):
    return page.locator(f'.react-flow__node[data-id="{step_id}"]')


def _place(page: Page, step_id: str) -> tuple[float, float]:
    """Where the step is on the canvas, in the canvas's own coordinates (not the screen's)."""
    style = _node(page, step_id).get_attribute("style") or ""
    found = re.search(r"translate\(([-\d.]+)px, ?([-\d.]+)px\)", style)
    assert found, style
    return float(found.group(1)), float(found.group(2))


def _near(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """The same place within the pixel the browser rounds it to (JavaScript rounds halves up)."""
    return abs(a[0] - b[0]) <= 1 and abs(a[1] - b[1]) <= 1


def _three_steps(page: Page) -> None:
    """send_1 -> exit_1, and exit_2 on its own."""
    _add(page, "Send")
    _add(page, "Exit")
    _deselect(page)
    _add(page, "Exit")
    for step in ("send_1", "exit_1", "exit_2"):
        expect(page.get_by_test_id(f"step-{step}")).to_be_visible()


def _panel_shot(page: Page, test_id: str, path) -> None:
    """The settings panel, scrolled to show the part with that test id."""
    part = page.get_by_test_id(test_id)
    part.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.get_by_test_id("journey-form").locator(
        "xpath=ancestor::div[contains(@class,'mantine-Paper-root')][1]"
    ).screenshot(path=path)


def _steps(page: Page) -> list[str]:
    return [s["id"] for s in _document(page)["steps"]]


def test_keyboard_shortcuts_undo_redo_copy_paste_delete(open_as, seeded: Seeded):
    page = open_as("admin")
    _new_journey(page, "Keyboard")
    _three_steps(page)
    _select_step(page, "exit_2")
    page.keyboard.press("Control+z")
    expect(page.get_by_test_id("step-exit_2")).to_have_count(0)
    page.keyboard.press("Control+Shift+z")
    expect(page.get_by_test_id("step-exit_2")).to_be_visible()
    page.keyboard.press("Control+z")
    expect(page.get_by_test_id("step-exit_2")).to_have_count(0)
    page.keyboard.press("Control+y")
    expect(page.get_by_test_id("step-exit_2")).to_be_visible()

    # Copy and paste: the copy gets a free id.
    _select_step(page, "exit_2")
    page.keyboard.press("Control+c")
    expect(page.get_by_test_id("editor-message")).to_contain_text("Copied step exit_2")
    page.keyboard.press("Control+v")
    expect(page.get_by_test_id("editor-message")).to_contain_text("Pasted exit_2_2")
    expect(page.get_by_test_id("step-exit_2_2")).to_be_visible()
    assert _steps(page) == ["send_1", "exit_1", "exit_2", "exit_2_2"]

    # Delete and Backspace remove the selected step; the link to exit_1 goes with it.
    _select_step(page, "exit_2_2")
    page.keyboard.press("Delete")
    expect(page.get_by_test_id("step-exit_2_2")).to_have_count(0)
    _select_step(page, "exit_1")
    page.keyboard.press("Backspace")
    expect(page.get_by_test_id("step-exit_1")).to_have_count(0)
    assert _document(page)["steps"] == [{"id": "send_1", "kind": "send"}, {"id": "exit_2", "kind": "exit"}]
    # And undo brings both back, the link included.
    page.locator(".react-flow__pane").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+z")
    page.keyboard.press("Control+z")
    expect(page.get_by_test_id("step-exit_2_2")).to_be_visible()
    assert _document(page)["steps"][0] == {"id": "send_1", "kind": "send", "next": "exit_1"}


def test_dragging_an_edges_end_to_another_step_relinks_it(open_as, seeded: Seeded):
    page = open_as("admin")
    _new_journey(page, "Reconnect")
    _three_steps(page)
    assert _document(page)["steps"][0]["next"] == "exit_1"
    # The end of the send's edge: the updater circle nearest to exit_1's input.
    target_box = page.get_by_test_id("step-exit_1").locator(".react-flow__handle.target").bounding_box()
    ends = page.locator(".react-flow__edgeupdater-target")
    best = None
    for i in range(ends.count()):
        box = ends.nth(i).bounding_box()
        distance = abs(box["x"] - target_box["x"]) + abs(box["y"] - target_box["y"])
        if best is None or distance < best[0]:
            best = (distance, ends.nth(i))
    end = best[1]
    box = end.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    to = page.get_by_test_id("step-exit_2").locator(".react-flow__handle.target").bounding_box()
    page.mouse.move(to["x"] + to["width"] / 2, to["y"] + to["height"] / 2, steps=10)
    page.mouse.up()
    steps = _document(page)["steps"]
    assert steps[0] == {"id": "send_1", "kind": "send", "next": "exit_2"}
    expect(page.locator(".react-flow__edge")).to_have_count(2)  # the start and the moved link


def test_reactivation_and_an_exit_rules_where_through_their_forms(open_as, seeded: Seeded, screenshots):
    page = open_as("admin")
    journey_id = _new_journey(page, "Come back")
    _add(page, "Exit")
    _deselect(page)
    form = page.get_by_test_id("journey-form")

    # The reactivation rule, field by field.
    form.get_by_role("button", name="Add a reactivation rule").click()
    rule = page.get_by_test_id("reactivation-form")
    rule.get_by_label("When the user does the event").fill("login")
    rule.get_by_label("After (hours)").fill("2")
    rule.get_by_label("Entries ended within (days)").fill("14")
    rule.get_by_label("Entries that ended as").click()
    page.get_by_role("option", name="COMPLETED", exact=True).click()
    page.keyboard.press("Escape")
    _pick(page, "Run again from step", "exit_1", rule)
    rule.get_by_label("With no such entry, start a new one").check()
    where = page.get_by_test_id("reactivation-where")
    where.get_by_role("button", name="Add a rule").click()
    where.get_by_label("Field path").fill("event.properties.device")
    _pick(page, "Operator", "=", where)
    where.get_by_label("Value").fill("mobile")

    # An exit rule whose where counts the user's deposits in the last week.
    page.get_by_test_id("exit-rules").get_by_role("button", name="Add a rule").click()
    form.get_by_label("Exit when the user does: event 1").fill("self_exclusion")
    exit_where = page.get_by_test_id("exit-rules-1-where")
    exit_where.get_by_role("button", name="Add a rule").click()
    _pick(page, "Measure", "Event count", exit_where)
    exit_where.get_by_label("Event name").fill("deposit")
    exit_where.get_by_label("Window in days").fill("7")
    _pick(page, "Operator", "≥", exit_where)
    exit_where.get_by_label("Value").fill("3")
    _wait_checked(page)
    expect(page.get_by_test_id("problem-count")).to_contain_text("0 errors")
    _panel_shot(page, "exit-rules", screenshots / "editor-exit-rule.png")
    _panel_shot(page, "reactivation-form", screenshots / "editor-reactivation.png")

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("editor-message")).to_contain_text("Saved: version 1 (DRAFT)")
    saved = seeded.call(READ, {"id": journey_id})["journey"]["definition"]
    assert saved["reactivation"] == {
        "event": "login",
        "waitSeconds": 7200,
        "lookbackSeconds": 1209600,
        "eligibleStatuses": ["COMPLETED"],
        "resumeAt": "exit_1",
        "insertIfNone": True,
        "where": {"field": "event.properties.device", "op": "eq", "value": "mobile"},
    }
    assert saved["exitWhen"] == [
        {
            "event": "self_exclusion",
            "where": {"eventCount": {"name": "deposit", "withinSeconds": 604800}, "op": "gte", "value": 3},
        }
    ]

    # A fresh page shows them in the forms, and the JSON view is the saved document.
    expect(page.get_by_text("Saved", exact=True)).to_be_visible()
    page.reload()
    rule = page.get_by_test_id("reactivation-form")
    expect(rule.get_by_label("When the user does the event")).to_have_value("login", timeout=20_000)
    expect(rule.get_by_label("After (hours)")).to_have_value("2")
    expect(rule.get_by_label("Entries ended within (days)")).to_have_value("14")
    expect(rule.get_by_role("combobox", name="Run again from step")).to_have_value("exit_1")
    expect(rule.get_by_label("With no such entry, start a new one")).to_be_checked()
    expect(page.get_by_test_id("reactivation-where").get_by_label("Value")).to_have_value("mobile")
    exit_where = page.get_by_test_id("exit-rules-1-where")
    expect(exit_where.get_by_label("Event name")).to_have_value("deposit")
    expect(exit_where.get_by_label("Value")).to_have_value("3")
    assert _document(page) == saved
    assert json.dumps(_document(page)) == json.dumps(saved)


def test_moved_steps_are_where_they_were_left_in_a_fresh_browser(open_as, seeded: Seeded):
    page = open_as("admin")
    journey_id = _new_journey(page, "Laid out by hand")
    _add(page, "Send")
    _add(page, "Exit")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("editor-message")).to_contain_text("Saved: version 1")
    before = seeded.call(READ, {"id": journey_id})["journey"]
    start = _place(page, "exit_1")

    # Drag exit_1 by its title to the right and down.
    box = page.get_by_test_id("step-exit_1").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 220, box["y"] + 90, steps=12)
    page.mouse.up()
    moved = _place(page, "exit_1")
    assert moved[0] > start[0] + 100 and moved[1] > start[1] + 40
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("editor-message")).to_contain_text("Saved: the layout of the steps")
    after = seeded.call(READ, {"id": journey_id})["journey"]
    # Only the layout changed: no new document, no new version.
    assert (after["definition"], after["version"]) == (before["definition"], before["version"])
    saved = after["layout"]["exit_1"]
    assert _near((saved["x"], saved["y"]), moved)

    # Another operator, in a browser of their own (no local storage), sees the same layout.
    other = open_as("manager")
    other.goto(f"/journeys/{journey_id}/edit")
    expect(other.get_by_test_id("step-exit_1")).to_be_visible(timeout=20_000)
    assert _near(_place(other, "exit_1"), moved)
    assert _near(_place(other, "send_1"), _place(page, "send_1"))

    # The read-only graph of the journey uses the same saved places: exit_1 was laid out
    # under send_1 and now stands to its right.
    other.goto(f"/journeys/{journey_id}")
    send_box = other.get_by_test_id("step-send_1").bounding_box()
    exit_box = other.get_by_test_id("step-exit_1").bounding_box()
    assert send_box and exit_box
    assert exit_box["x"] > send_box["x"] + send_box["width"] / 2
