"""Rendering templates and tracking links on plain data: what an operator writes, what a
player's data can and cannot do to it."""

from __future__ import annotations

import tracemalloc
from datetime import timedelta

import pytest

from backend.delivery.html_parts import text_of
from backend.delivery.templates import TemplateFailure, problem, render
from backend.delivery.tracking import LinkPolicy, TrackingLinks, is_machine
from backend.models import utcnow

CTX = {
    "user": {
        "username": "Ann",
        "level": None,
        "attributes": {"spins": 3, "nick": "<b>x</b>"},
        "financial": {"depositTotal": 12.5},
    },
    "event": {"properties": {"game": "poker"}},
    "entry": {"round": 2},
}


def test_values_are_filled_missing_ones_are_empty_and_html_is_escaped():
    assert (
        render("Hi {{ user.username }}, {{ event.properties.game }} (round {{ entry.round }})", CTX)
        == "Hi Ann, poker (round 2)"
    )
    assert render("[{{ user.email }}][{{ user.attributes.missing.deeper }}]", CTX) == "[][]"
    # A value that is there but empty (a user without a level) prints as nothing too, not "None".
    assert render("You reached level {{ user.level }}!{{ ' ' ~ user.level }}", CTX) == "You reached level ! "
    assert (
        render("{{ user.username | default('friend') }} {{ '%.2f' % user.financial.depositTotal }}", CTX) == "Ann 12.50"
    )
    assert render("<p>{{ user.attributes.nick }}</p>", CTX, html=True) == "<p>&lt;b&gt;x&lt;/b&gt;</p>"
    assert render("{{ user.attributes.nick }}", CTX) == "<b>x</b>"  # an SMS is not HTML


@pytest.mark.parametrize(
    "template, message",
    [
        ("Hi {{ user.", r"template error \(line 1\)"),
        ("{{ user.attributes.nick + 1 }}", "TypeError"),
        ("{{ user.attributes.update({}) }}", "unsafe"),
    ],
)
def test_a_template_that_cannot_render_says_why(template, message):
    with pytest.raises(TemplateFailure, match=message):
        render(template, CTX)


def test_problem_names_only_templates_that_do_not_parse():
    assert problem("Hi {{ user.username }}") is None
    assert "line 1" in problem("Hi {% if %}")


@pytest.mark.parametrize(
    "template",
    [
        "{{ 'a' * 1000000 }}",
        "{{ 'a'|center(30000000) }}",
        "{{ '%30000000d' % 1 }}",
        "{{ '{:>30000000}'.format(1) }}",
        "{{ 'a'.ljust(30000000) }}",
        "{{ ('a' * 60000)|replace('a', 'a' * 60000) }}",
        "{{ ('\\n' * 60000)|indent(60000) }}",
        "{% for i in range(500) %}{{ 'a' * 60000 }}{% endfor %}",
        "{{ 10 ** 1000 }}",
        "{% set a = 'x' * 60000 %}{% set b = a~a~a~a~a~a~a~a~a~a %}{% set c = b~b~b~b~b~b~b~b~b~b %}{{ c|length }}",
        "{% set a = 'x' * 60000 %}{{ ([a] * 60000)|join }}",
        "{% set a = 'x' * 60000 %}{{ ''.join([a] * 60000) }}",
        "{% set a = 'x' * 60000 %}{{ range(60000)|join(a) }}",
        "{% set a = 'x' * 60000 %}{{ [a] * 60000 }}",
        "{% set a = 'x' * 60000 %}{{ ([a] * 60000)|string|length }}",
        "{{ (range(60000)|map('center', 60000)|list)|length }}",
        "{% set ns = namespace(s='') %}{% for i in range(60000) %}{% set ns.s = ns.s ~ 'xxxxxxxxxx' %}{% endfor %}",
    ],
)
def test_a_template_cannot_make_a_worker_build_a_huge_text(template):
    tracemalloc.start()
    try:
        with pytest.raises(TemplateFailure):
            render(template, CTX)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000, peak


@pytest.mark.parametrize(
    "template",
    [
        "{% for i in range(465) %}{% for j in range(465) %}{% for k in range(465) %}"
        "{% endfor %}{% endfor %}{% endfor %}",
        "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
        "{% for x in [1] recursive %}{% if loop.depth < 3 %}{{ loop(range(60000)) }}{% endif %}{% endfor %}",
    ],
)
def test_a_template_that_would_loop_for_long_is_cut_off(template):
    # Cut off by the count of steps or, on a slow machine, by the time budget.
    with pytest.raises(TemplateFailure, match=r"more than 100,000 steps|takes longer than 1 s"):
        render(template, CTX)


def test_a_render_past_its_time_is_cut_off(monkeypatch):
    from backend.delivery import template_budget

    monkeypatch.setattr(template_budget, "MAX_SECONDS", 0.0)
    with pytest.raises(TemplateFailure, match="takes longer than 0 s"):
        render("{% for i in range(1000) %}{{ i }}{% endfor %}", CTX)


def test_loops_concatenation_and_joins_within_the_budget_render_as_before():
    template = (
        "{% for i in range(3) %}{{ loop.index }}{{ '-' if not loop.last }}{% endfor %} "
        "{{ 'a' ~ user.username ~ 1 }} {{ ['x', 'y']|join(',') }} {{ '+'.join(['1', '2']) }} "
        "{% for k in [[1, [2]]] recursive %}{% if k is iterable %}{{ loop(k) }}{% else %}{{ k }}{% endif %}{% endfor %}"
    )
    assert render(template, CTX) == "1-2-3 aAnn1 x,y 1+2 12"
    assert render("<p>{{ '<b>' ~ user.username }}</p>", CTX, html=True) == "<p>&lt;b&gt;Ann</p>"


def test_click_links_are_signed_and_only_the_operators_links_are_tracked():
    links = TrackingLinks("secret", "https://t.example.com")
    template = (
        "Hi {{ user.attributes.nick }}: https://casino.example.com/offer?u={{ user.externalId }}. "
        "Also https://casino.example.com{{ user.attributes.path }}"
    )
    policy = LinkPolicy(template)
    body = (
        "Hi https://evil.example/login: https://casino.example.com/offer?u=p1. "
        "Also https://casino.example.com.evil.example/x"
    )
    out = links.rewrite_text(7, body, policy)
    assert "https://evil.example/login" in out and "https://casino.example.com.evil.example/x" in out
    [token] = [part.split("/t/c/")[1].rstrip(".") for part in out.split() if "/t/c/" in part]
    assert out.count("/t/c/") == 1 and ". Also" in out  # the full stop stays outside the link
    assert links.read_click(token) == (7, "https://casino.example.com/offer?u=p1")
    assert links.read_click(token[:-2] + "xx") is None and links.read_click("junk") is None
    assert links.read_open(token) is None  # a click token opens nothing else
    html = links.rewrite_html(
        7,
        '<a href="https://casino.example.com/a?x=1&amp;y=2">Go</a>',
        LinkPolicy('<a href="https://casino.example.com/a?x=1&amp;y=2">Go</a>'),
    )
    assert links.read_click(html.split("/t/c/")[1].split('"')[0]) == (7, "https://casino.example.com/a?x=1&y=2")
    assert "/t/o/" in html


def test_proxies_prefetchers_and_scanners_are_machines():
    sent = utcnow() - timedelta(minutes=5)
    person = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
    )
    assert not is_machine(person, sent_at=sent, now=utcnow())
    assert is_machine("Mozilla/5.0", sent_at=sent, now=utcnow())  # Apple Mail Privacy Protection
    assert is_machine("Mozilla/5.0 (via ggpht.com GoogleImageProxy)", sent_at=sent, now=utcnow())
    assert is_machine(person, sent_at=utcnow() - timedelta(seconds=1), now=utcnow())
    assert is_machine(person, sent_at=None, now=utcnow())


def test_links_are_found_however_the_html_writes_them():
    links = TrackingLinks("secret", "https://t.example.com")
    template = (
        "<p><a href=https://casino.example.com/a?x=1&amp;y=2>Unquoted</a> "
        "<A HREF = 'https://casino.example.com/b'>Single</A> "
        '<a title="href=https://casino.example.com/c" data-href="https://casino.example.com/d" '
        'href="https://casino.example.com/e">Odd</a> <a href="mailto:vip@casino.example.com">Mail</a> '
        '<area shape="rect" href="https://casino.example.com/f"></p>'
    )
    html = links.rewrite_html(7, template, LinkPolicy(template))
    tokens = [part.split('"')[0] for part in html.split("https://t.example.com/t/c/")[1:]]
    assert [links.read_click(t)[1] for t in tokens] == [
        "https://casino.example.com/a?x=1&y=2",
        "https://casino.example.com/b",
        "https://casino.example.com/e",
        "https://casino.example.com/f",
    ]
    # Everything but the four values stays exactly as written.
    assert 'title="href=https://casino.example.com/c" data-href="https://casino.example.com/d"' in html
    assert '<A HREF = "https://t.example.com/t/c/' in html and 'href="mailto:vip@casino.example.com"' in html


def test_the_text_part_keeps_list_markers_paragraphs_and_links():
    html = (
        "<html><head><style>p { color: red }</style><title>News</title></head><body>"
        "<p>Hi Ann,</p><ul><li>50 free spins</li><li>a <b>VIP</b> table</li></ul>"
        "<ol><li>Log in</li><li>Play</li></ol>"
        "<p><a href=https://casino.example.com/play>Play now</a></p></body></html>"
    )
    assert text_of(html) == (
        "Hi Ann,\n\n  * 50 free spins\n  * a VIP table\n 1. Log in\n 2. Play\n\n"
        "[Play now](https://casino.example.com/play)\n"
    )
