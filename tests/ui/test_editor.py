"""The journey editor: building from the palette, problems as one edits, undo / redo,
copy between journeys, the path of two users previewed, activation, and a real entry
following the previewed path."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from tests.ui.seed import Seeded

ENTRY_STEPS = """query($id: ID!) { journey(id: $id) { entries(first: 10) { edges { node {
  status user { externalId } steps { stepId outcome } } } } } }"""


def _pick(page: Page, label: str, option: str, scope=None) -> None:
    (scope or page).get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def _select_step(page: Page, step_id: str) -> None:
    page.get_by_test_id(f"step-{step_id}").click()
    expect(page.get_by_test_id("step-form").get_by_label("Step id")).to_have_value(step_id)


def _deselect(page: Page) -> None:
    page.locator(".react-flow__pane").click(position={"x": 5, "y": 5})
    expect(page.get_by_test_id("journey-form")).to_be_visible()


def _add(page: Page, kind: str) -> None:
    page.get_by_role("button", name=f"Add a {kind} step", exact=True).click()


def _wait_checked(page: Page) -> None:
    expect(page.get_by_test_id("problem-count")).not_to_have_text("Checking…")


def _preview(page: Page, external_id: str) -> None:
    panel = page.get_by_test_id("preview-panel")
    panel.get_by_label("User (external id)").fill(external_id)
    panel.get_by_role("button", name="Show the path").click()


JSON_MODEL = "inmemory://questline/journey-document.json"


def _json_editor(page: Page):
    """The JSON view's Monaco editor, once it has loaded (its own chunk) and has the document."""
    view = page.locator('[data-testid="json-view"][data-ready="true"]')
    expect(view).to_be_visible(timeout=20_000)
    return view


def _json_text(page: Page) -> str:
    _json_editor(page)
    return page.evaluate("uri => monaco.editor.getModel(monaco.Uri.parse(uri)).getValue()", JSON_MODEL)


def _json_text_after_reopen(page: Page) -> str:
    page.get_by_role("button", name="JSON").click()
    text = _json_text(page)
    page.get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    return text


def _new_journey(page: Page, name: str) -> str:
    page.goto("/journeys")
    page.get_by_role("button", name="New journey").click()
    page.get_by_role("dialog").get_by_label("Name").fill(name)
    page.get_by_role("button", name="Create and edit").click()
    expect(page).to_have_url(re.compile(r"/journeys/[^/]+/edit$"))
    expect(page.get_by_test_id("editor-canvas")).to_be_visible(timeout=20_000)
    return page.url.split("/journeys/")[1].split("/")[0]


def _own_players(seeded: Seeded) -> None:
    """Players of this test only, so the messages it sends change no other test's data."""
    users = [
        {"externalId": "ed-rich", "username": "rita", "email": "rita@example.com"},
        {"externalId": "ed-new", "username": "nils", "email": "nils@example.com"},
    ]
    seeded.call("mutation($u: [UserInput!]!) { upsertUsers(users: $u) { created } }", {"u": users})
    seeded.track(("ed-rich", "deposit", {"amount": 250}))


def test_build_check_preview_activate_and_follow_a_journey(open_as, seeded: Seeded, screenshots):
    _own_players(seeded)
    page = open_as("admin")
    journey_id = _new_journey(page, "First login offer")
    form = page.get_by_test_id("journey-form")
    _pick(page, "Trigger kind", "An event (EVENT)", form)
    form.get_by_label("Event name").fill("login")
    _pick(page, "Re-entry mode", "Every time (EVERY_ENTRY)", form)

    # Send, then a condition under it, then a bonus on its yes and a wait on its no.
    _add(page, "Send")
    _pick(page, "Resource", "Welcome email (EMAIL)")
    _add(page, "Condition")
    step_form = page.get_by_test_id("step-form")
    step_form.get_by_role("button", name="Add a rule").click()
    step_form.get_by_label("Field path").fill("user.financial.depositTotal")
    step_form.get_by_label("Value").fill("100")
    _add(page, "Bonus")
    _select_step(page, "condition_1")
    _add(page, "Wait")
    for step in ("send_1", "condition_1", "bonus_1", "wait_1"):
        expect(page.get_by_test_id(f"step-{step}")).to_be_visible()

    # The bonus has no template yet: drawn red dotted, with the server's warning on it.
    bonus = page.get_by_test_id("step-bonus_1")
    expect(bonus).to_have_attribute("data-configured", "false")
    _wait_checked(page)
    expect(bonus).to_contain_text("not configured")
    page.screenshot(path=screenshots / "editor-unconfigured.png")
    _select_step(page, "bonus_1")
    expect(page.get_by_test_id("step-form")).to_contain_text("WARNING")
    _pick(page, "Bonus template", "10 free spins")
    expect(bonus).to_have_attribute("data-configured", "true")
    _wait_checked(page)
    expect(page.get_by_test_id("problem-count")).to_have_text("0 errors, 0 warnings")
    page.screenshot(path=screenshots / "editor-built.png")

    # Undo takes the template back off, redo puts it back.
    page.get_by_role("button", name="Undo").click()
    expect(bonus).to_have_attribute("data-configured", "false")
    page.get_by_role("button", name="Redo").click()
    expect(bonus).to_have_attribute("data-configured", "true")

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("editor-message")).to_contain_text("Saved: version 1 (DRAFT)")
    saved = seeded.call("query($id: ID!) { journey(id: $id) { definition } }", {"id": journey_id})
    page.get_by_role("button", name="JSON").click()
    assert json.loads(_json_text(page)) == saved["journey"]["definition"]
    page.get_by_role("button", name="Close").click()

    # Two users, two branches: rita deposited 250, nils never did.
    page.get_by_role("tab", name="Test with a user").click()
    _preview(page, "ed-rich")
    expect(page.get_by_test_id("preview-outcome")).to_have_text("COMPLETED")
    expect(page.get_by_test_id("preview-step")).to_have_count(3)
    page.screenshot(path=screenshots / "editor-preview-yes.png")
    _preview(page, "ed-new")
    expect(page.get_by_test_id("preview-outcome")).to_have_text("WAITING")
    expect(page.get_by_test_id("preview-result")).to_contain_text("It would then be at wait_1")
    page.screenshot(path=screenshots / "editor-preview-no.png")
    previewed = {
        "ed-rich": [("send_1", "sent"), ("condition_1", "yes"), ("bonus_1", "bonus_requested")],
        "ed-new": [("send_1", "sent"), ("condition_1", "no")],
    }

    # Activate from the journey's header, with its dialog.
    page.get_by_role("button", name="Activate").first.click()
    page.get_by_role("dialog").get_by_role("button", name="Activate").click()
    expect(page.get_by_text("ACTIVE", exact=True).first).to_be_visible()

    seeded.track(("ed-rich", "login", {}), ("ed-new", "login", {}))

    def entries():
        data = seeded.call(ENTRY_STEPS, {"id": journey_id})["journey"]["entries"]["edges"]
        return {e["node"]["user"]["externalId"]: e["node"] for e in data}

    seeded.wait_until(lambda: len(entries()) == 2, "two entries")
    seeded.wait_until(lambda: all(e["steps"] for e in entries().values()), "their first steps")
    for external_id, entry in entries().items():
        assert [(s["stepId"], s["outcome"]) for s in entry["steps"]][: len(previewed[external_id])] == previewed[
            external_id
        ]
    assert {x: e["status"] for x, e in entries().items()} == {"ed-rich": "COMPLETED", "ed-new": "WAITING"}
    page.get_by_role("link", name="Graph", exact=True).click()
    expect(page.get_by_test_id("count-wait_1")).to_have_text("1")
    page.screenshot(path=screenshots / "editor-followed.png")

    # Saving an active journey publishes a new version.
    page.get_by_role("link", name="Edit", exact=True).click()
    _select_step(page, "wait_1")
    page.get_by_test_id("step-form").get_by_label("Wait (hours)").fill("2")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_test_id("editor-message")).to_contain_text("Saved: version 2 (ACTIVE)")
    page.get_by_role("combobox", name="Open a version").click()
    expect(page.get_by_role("option", name=re.compile("^Version 2"))).to_be_visible()


def test_copy_a_step_into_another_journey_and_the_json_round_trips(open_as, seeded: Seeded, screenshots):
    page = open_as("admin")
    page.goto(f"/journeys/{seeded.journeys['welcome']}/edit")
    _select_step(page, "nudge")
    page.get_by_role("button", name="Copy", exact=True).click()
    expect(page.get_by_test_id("editor-message")).to_contain_text("Copied step nudge")
    target = _new_journey(page, "Copy target")
    page.get_by_role("button", name="Paste", exact=True).click()
    pasted = page.get_by_test_id("step-nudge")
    expect(pasted).to_be_visible()
    expect(pasted).to_contain_text("Come back SMS")
    _wait_checked(page)
    page.screenshot(path=screenshots / "editor-pasted.png")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("editor-message")).to_contain_text("Saved")
    saved = seeded.call("query($id: ID!) { journey(id: $id) { definition } }", {"id": target})["journey"]
    # The link to a step left behind (goto 'again') is dropped; the rest is copied as it was.
    assert saved["definition"]["steps"] == [
        {"id": "nudge", "name": "Come back SMS", "kind": "send", "resource": "Come back SMS"}
    ]
    assert saved["definition"]["start"] == "nudge"


def test_a_draft_is_kept_until_saved_and_the_segment_builder_says_what_is_missing(open_as, seeded: Seeded, screenshots):
    page = open_as("admin")
    _new_journey(page, "Weekly VIPs")
    form = page.get_by_test_id("journey-form")
    _pick(page, "Trigger kind", "A segment on a schedule", form)
    builder = page.get_by_test_id("segment-builder")
    builder.get_by_label("Cron (min hour day month weekday)").fill("0 9 * * 1")
    builder.get_by_label("Time zone").fill("Europe/Lisbon")
    expect(page.get_by_test_id("next-runs").get_by_role("listitem")).to_have_count(5)
    expect(page.get_by_test_id("next-runs")).to_contain_text("Mon")
    builder.get_by_role("button", name="Count matching users now").click()
    expect(page.get_by_test_id("segment-count")).to_contain_text("users match now, e.g.")
    builder.scroll_into_view_if_needed()
    page.get_by_test_id("journey-form").locator(
        "xpath=ancestor::div[contains(@class,'mantine-Paper-root')][1]"
    ).screenshot(path=screenshots / "editor-segment.png")
    _add(page, "Exit")
    page.reload()
    expect(page.get_by_text("This is your unsaved draft")).to_be_visible()
    expect(page.get_by_test_id("step-exit_1")).to_be_visible()
    page.get_by_role("button", name="Discard the draft").click()
    expect(page.get_by_test_id("step-exit_1")).to_have_count(0)


def test_the_journeys_list_filters_by_trigger_kind(open_as, seeded: Seeded):
    page = open_as("admin")
    page.goto("/journeys?trigger=API")
    expect(page.get_by_role("row", name=re.compile("EU weekend push"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Welcome series"))).to_have_count(0)
    _pick(page, "Trigger", "Event")
    expect(page.get_by_role("row", name=re.compile("Welcome series"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("EU weekend push"))).to_have_count(0)
    expect(page).to_have_url(re.compile(r"trigger=EVENT"))


def _document(page: Page) -> dict:
    page.get_by_role("button", name="JSON").click()
    document = json.loads(_json_text(page))
    page.get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    return document


def test_drop_connect_and_delete_on_the_canvas(open_as, seeded: Seeded):
    page = open_as("admin")
    _new_journey(page, "Canvas moves")
    _add(page, "Send")
    _deselect(page)
    canvas = page.get_by_test_id("editor-canvas")
    # HTML5 drag and drop from the palette, as the browser sends it.
    data = page.evaluate_handle("() => new DataTransfer()")
    page.get_by_role("button", name="Add a Exit step").dispatch_event("dragstart", {"dataTransfer": data})
    box = canvas.bounding_box()
    at = {"dataTransfer": data, "clientX": box["x"] + 120, "clientY": box["y"] + 60}
    canvas.dispatch_event("dragover", at)
    canvas.dispatch_event("drop", at)
    expect(page.get_by_test_id("step-exit_1")).to_be_visible()
    assert "next" not in _document(page)["steps"][0]
    # Drag from the send's output to the exit's input.
    source = page.get_by_test_id("step-send_1").locator(".react-flow__handle.source")
    target = page.get_by_test_id("step-exit_1").locator(".react-flow__handle.target")
    source.hover()
    page.mouse.down()
    box = target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    expect(page.locator(".react-flow__edge")).to_have_count(2)  # the start and the new link
    assert _document(page)["steps"][0]["next"] == "exit_1"
    # Deleting the exit step clears the link to it.
    _select_step(page, "exit_1")
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(page.get_by_test_id("step-exit_1")).to_have_count(0)
    assert _document(page)["steps"] == [{"id": "send_1", "kind": "send"}]


def test_the_json_view_completes_and_checks_keys_from_the_served_schema(open_as, seeded: Seeded, screenshots):
    page = open_as("admin")
    _new_journey(page, "Schema checked")
    _add(page, "Exit")
    page.get_by_role("button", name="JSON").click()
    view = _json_editor(page)
    # A step with no kind yet and a key no step takes; the cursor on a new line inside it.
    document = json.loads(_json_text(page))
    document["steps"] = [{"colour": "red", "id": "exit_1", "name": "Last step"}]
    text = json.dumps(document, indent=2)
    line = text.splitlines().index('      "id": "exit_1",') + 1
    page.evaluate(
        """([uri, text, line]) => {
          const editor = monaco.editor.getEditors()[0];
          monaco.editor.getModel(monaco.Uri.parse(uri)).setValue(text);
          editor.setPosition({ lineNumber: line, column: 100 });
          editor.focus();
        }""",
        [JSON_MODEL, text, line],
    )
    page.keyboard.press("Enter")
    page.keyboard.press("Control+Space")
    suggestions = view.locator(".suggest-widget .monaco-list-row")
    expect(suggestions.filter(has_text="kind")).to_have_count(1)
    expect(suggestions.filter(has_text="next")).to_have_count(1)
    # The unknown key is marked: underlined, with the JSON language service's message.
    expect(view.locator(".squiggly-warning, .squiggly-error").first).to_be_visible()
    page.wait_for_function(
        "uri => monaco.editor.getModelMarkers({ resource: monaco.Uri.parse(uri) })"
        ".some((m) => m.message.includes('colour'))",
        arg=JSON_MODEL,
    )
    page.get_by_role("dialog").screenshot(path=screenshots / "editor-json.png")
    # Apply takes the editor's text as it is: broken JSON is refused with the parser's message,
    # a document is put in the draft.
    set_text = "([uri, text]) => monaco.editor.getModel(monaco.Uri.parse(uri)).setValue(text)"
    page.evaluate(set_text, [JSON_MODEL, text.replace('"colour": "red",', '"kind": "exit" "next": "x",')])
    page.get_by_role("button", name="Apply to the draft").click()
    expect(page.get_by_role("dialog")).to_contain_text("Not applied:")
    document["steps"] = [{"id": "exit_1", "kind": "exit", "name": "Typed in JSON"}]
    page.evaluate(set_text, [JSON_MODEL, json.dumps(document, indent=2)])
    page.get_by_role("button", name="Apply to the draft").click()
    expect(page.get_by_test_id("step-exit_1")).to_contain_text("Typed in JSON")
    assert json.loads(_json_text_after_reopen(page))["steps"] == document["steps"]
