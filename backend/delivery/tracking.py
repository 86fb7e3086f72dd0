"""Signed open and click links, the rewriting of a message's links into them, and
telling a person's open from a machine's.

Tokens are signed with the secret key: a changed token does not verify, so
`/t/c/<token>` can only ever redirect to a link that Questline itself wrote into a
message (it is no open redirect).
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer

from backend.delivery.html_parts import replace_hrefs

OPEN_SALT = "questline.track.open"
CLICK_SALT = "questline.track.click"
# Opens this soon after the send come from a scanner or prefetcher, not a reader.
MACHINE_OPEN_WINDOW = timedelta(seconds=2)
# User agents of mail privacy proxies and image prefetchers: they fetch every image of
# every message, whether a person reads it or not.
MACHINE_AGENTS = re.compile(
    r"GoogleImageProxy|ggpht\.com|YahooMailProxy|Yahoo Mail Proxy|BingPreview|"
    r"Outlook-Safelinks|Mimecast|Barracuda|Proofpoint",
    re.IGNORECASE,
)
# Apple Mail Privacy Protection fetches with this bare user agent and nothing after it.
APPLE_PRIVACY_AGENT = "Mozilla/5.0"

_BARE_URL = re.compile(r"""https?://[^\s<>"'\]]+""")
# Punctuation that ends a sentence rather than the link it follows.
_TRAILING = ".,;:!?)'\""
# A link as written in a template: its literal start, up to the first placeholder.
_TEMPLATE_LINK = re.compile(r"""https?://[^\s<>"'{}]+""")
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


class LinkPolicy:
    """Which links of a rendered message are the operator's: those the template itself
    writes. A link that comes whole from data (a player's attribute) is left as it is,
    so a signed click link can never lead where the operator did not write."""

    def __init__(self, template: str | None):
        written = {m.group(0).rstrip(_TRAILING) for m in _TEMPLATE_LINK.finditer(template or "")}
        # As written in HTML (&amp;) and as read back out of it (&).
        self.prefixes = tuple(sorted(written | {htmllib.unescape(w) for w in written}))

    def allows(self, url: str) -> bool:
        for prefix in self.prefixes:
            if url == prefix:
                return True
            # "https://casino.example.com{{ x }}" must not admit "https://casino.example.com.evil.test".
            if url.startswith(prefix) and (
                any(c in prefix.split("//", 1)[1] for c in "/?#") or url[len(prefix)] in "/?#"
            ):
                return True
        return False


class TrackingLinks:
    def __init__(self, secret_key: str, public_url: str):
        self._open = URLSafeSerializer(secret_key, salt=OPEN_SALT)
        self._click = URLSafeSerializer(secret_key, salt=CLICK_SALT)
        self._base = public_url.rstrip("/")

    def open_url(self, communication_id: int) -> str:
        return f"{self._base}/t/o/{self._open.dumps(communication_id)}"

    def click_url(self, communication_id: int, url: str) -> str:
        return f"{self._base}/t/c/{self._click.dumps([communication_id, url])}"

    def read_open(self, token: str) -> int | None:
        try:
            value = self._open.loads(token)
        except BadSignature:
            return None
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def read_click(self, token: str) -> tuple[int, str] | None:
        try:
            value = self._click.loads(token)
        except BadSignature:
            return None
        if (
            isinstance(value, list)
            and len(value) == 2
            and isinstance(value[0], int)
            and isinstance(value[1], str)
            and value[1].startswith(("http://", "https://"))
        ):
            return value[0], value[1]
        return None

    def rewrite_html(self, communication_id: int, body: str, policy: LinkPolicy) -> str:
        """The operator's http(s) links go through the click link; an open pixel is added."""

        def swap(url: str) -> str | None:
            if not url.startswith(("http://", "https://")) or not policy.allows(url):
                return None
            return self.click_url(communication_id, url)

        rewritten = replace_hrefs(body, swap)
        pixel = (
            f'<img src="{self.open_url(communication_id)}" width="1" height="1" alt="" '
            f'style="display:block;width:1px;height:1px;border:0">'
        )
        if _BODY_END.search(rewritten):
            return _BODY_END.sub(lambda m: pixel + m.group(0), rewritten, count=1)
        return rewritten + pixel

    def rewrite_text(self, communication_id: int, body: str, policy: LinkPolicy) -> str:
        def swap(m: re.Match[str]) -> str:
            url = m.group(0).rstrip(_TRAILING)
            if not policy.allows(url):
                return m.group(0)
            return self.click_url(communication_id, url) + m.group(0)[len(url) :]

        return _BARE_URL.sub(swap, body)


def is_machine(user_agent: str | None, *, sent_at: datetime | None, now: datetime) -> bool:
    """An open or click by a proxy, prefetcher or link scanner rather than a person: a
    known agent, or one within seconds of the send (or before the send was even
    recorded: a scanner at the receiving end)."""
    agent = (user_agent or "").strip()
    if agent == APPLE_PRIVACY_AGENT or MACHINE_AGENTS.search(agent):
        return True
    return sent_at is None or now - sent_at < MACHINE_OPEN_WINDOW


def looks_like_html(body: str) -> bool:
    return bool(re.search(r"<(html|body|p|div|a|br|table|span|img|h[1-6])\b", body, re.IGNORECASE))
