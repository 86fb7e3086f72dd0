"""axe-core on every screen, and GraphiQL served offline with the operator's token."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect


def _screens(seeded) -> list[tuple[str, str]]:
    welcome, user = seeded.journeys["welcome"], seeded.users["p-1005"]
    entry = seeded.call(
        'query($id: ID!) { journey(id: $id) { entries(first: 1, search: "p-1005") { edges { node { id } } } } }',
        {"id": welcome},
    )["journey"]["entries"]["edges"][0]["node"]["id"]
    return [
        ("journeys", "/journeys"),
        ("journey-graph", f"/journeys/{welcome}"),
        ("journey-editor", f"/journeys/{welcome}/edit"),
        ("step-entries", f"/journeys/{welcome}?step=await_deposit"),
        ("participants", f"/journeys/{welcome}/users"),
        ("entry-path", f"/journeys/{welcome}/entries/{entry}"),
        ("journey-communications", f"/journeys/{welcome}/communications"),
        ("reports", f"/journeys/{welcome}/reports"),
        ("versions", f"/journeys/{welcome}/versions"),
        ("users", "/users"),
        ("user-profile", f"/users/{user}"),
        ("communications", "/communications"),
        ("catalog-resources", "/catalog/resources"),
        ("catalog-bonus-templates", "/catalog/bonus-templates"),
        ("catalog-badges", "/catalog/badges"),
        ("catalog-missions", "/catalog/missions"),
        ("catalog-levels", "/catalog/levels"),
        ("catalog-leaderboard", "/catalog/leaderboard"),
        ("catalog-operators", "/catalog/operators"),
    ]


def _serious_violations(page, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_finds_no_serious_violation_on_any_screen(open_as, anonymous_page, seeded, axe_source, screenshots):
    found: dict[str, list[str]] = {}
    anonymous_page.goto("/login")
    expect(anonymous_page.get_by_role("button", name="Log in")).to_be_visible()
    found["login"] = _serious_violations(anonymous_page, axe_source)
    page = open_as("admin")
    for name, path in _screens(seeded):
        page.goto(path)
        expect(page.get_by_role("main").get_by_role("heading").first).to_be_visible()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_label(re.compile("^Loading"))).to_have_count(0)
        page.screenshot(path=screenshots / f"axe-{name}.png")
        found[name] = _serious_violations(page, axe_source)
    failing = {name: v for name, v in found.items() if v}
    (screenshots / "axe-violations.json").write_text(json.dumps(failing, indent=2))
    assert failing == {}, f"see {screenshots / 'axe-violations.json'}"


def test_graphiql_is_served_offline_with_the_operators_token(open_as, seeded, ui_server, screenshots):
    page = open_as("admin")
    outside = []
    page.route(
        re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: (outside.append(route.request.url), route.abort())
    )
    page.goto("/graphql")
    expect(page.get_by_role("note")).to_contain_text("Your backoffice token is in the headers pane")
    expect(page.locator(".graphiql-container")).to_be_visible()
    expect(page.get_by_text("Bearer", exact=False).first).to_be_visible(timeout=15_000)
    page.get_by_role("button", name=re.compile("Execute query")).click()
    expect(page.locator(".graphiql-response")).to_contain_text('"username": "admin"', timeout=15_000)
    page.screenshot(path=screenshots / "09-graphiql.png")
    assert outside == []


def test_graphiql_without_a_login_says_a_token_is_needed(anonymous_page):
    anonymous_page.goto("/graphql")
    expect(anonymous_page.get_by_role("note")).to_contain_text("A token is needed to introspect")
    headers = anonymous_page.evaluate("() => window.localStorage.getItem('questline.token')")
    assert headers is None
