"""An HTML email's links and its plain-text part, read with HTML parsers rather than
regular expressions: an `href` is found however it is written (double, single or no
quotes, any case, any spacing), and the text part keeps the layout a reader expects
(list markers, numbered items, paragraphs, links written out)."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

from inscriptis import get_text
from inscriptis.model.config import ParserConfig

# One attribute inside a start tag, as the HTML tokenizer reads it: a name, then
# optionally `=` and a double-quoted, single-quoted or unquoted value.
_ATTRIBUTE = re.compile(
    r"""(?P<name>[^\s/>=][^\s/>=]*)(?:\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s>]+))?""",
)
_TAG_NAME = re.compile(r"<\s*[^\s/>]+")
_LINK_TAGS = ("a", "area")
_TEXT_CONFIG = ParserConfig(display_links=True)


@dataclass(frozen=True)
class Href:
    start: int  # where the attribute's value (with its quotes, if any) starts in the document
    end: int
    url: str  # the value as a browser reads it (entities decoded)


class _LinkFinder(HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.hrefs: list[Href] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _LINK_TAGS:
            return
        tag_text = self.get_starttag_text() or ""
        line, column = self.getpos()
        found = _href_in(tag_text)
        if found is not None:
            offset = self.line_starts[line - 1] + column
            start, end, raw = found
            self.hrefs.append(Href(offset + start, offset + end, htmllib.unescape(_unquoted(raw))))


def _unquoted(raw: str) -> str:
    return raw[1:-1] if raw[:1] in ("'", '"') and raw[-1:] == raw[:1] and len(raw) >= 2 else raw


def _href_in(tag_text: str) -> tuple[int, int, str] | None:
    """The span of the first `href` value in one start tag, reading its attributes in order
    (so `title="href=x"` or `data-href` are never taken for it)."""
    name = _TAG_NAME.match(tag_text)
    position = name.end() if name else 0
    while True:
        while position < len(tag_text) and tag_text[position] in " \t\n\r\f/":
            position += 1
        m = _ATTRIBUTE.match(tag_text, position)
        if m is None or m.end() == position:
            return None
        if m["name"].lower() == "href" and m["value"] is not None:
            return m.start("value"), m.end("value"), m["value"]
        position = m.end()


def hrefs(document: str) -> list[Href]:
    """The `href` of every link (`<a>`, `<area>`) in the document, in order."""
    finder = _LinkFinder(document)
    finder.feed(document)
    finder.close()
    return finder.hrefs


def replace_hrefs(document: str, new_url: Callable[[str], str | None]) -> str:
    """The document with each link's `href` set to `new_url(url)` (quoted and escaped),
    or left exactly as written where that is None. Nothing else changes."""
    parts, last = [], 0
    for href in hrefs(document):
        replacement = new_url(href.url)
        if replacement is None:
            continue
        parts.append(document[last : href.start])
        parts.append(f'"{htmllib.escape(replacement, quote=True)}"')
        last = href.end
    parts.append(document[last:])
    return "".join(parts)


def text_of(document: str) -> str:
    """A plain-text part for an HTML body, for mail clients that show no HTML: laid out
    by inscriptis (lists keep their `*` and `1.` markers, tables their columns), links
    written out as `[label](url)`, and no `<head>`, `<style>` or `<script>` text."""
    text = get_text(document, _TEXT_CONFIG)
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"
