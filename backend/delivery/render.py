"""A claimed communication rendered for its user: the stored text, and what goes out
(for email, with its links turned into click links and an open pixel added)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backend.delivery import templates
from backend.delivery.addresses import ADDRESS
from backend.delivery.channels import Message
from backend.delivery.html_parts import text_of
from backend.delivery.tracking import LinkPolicy, TrackingLinks, looks_like_html
from backend.journeys.levels import level_name
from backend.journeys.rows import facts_of
from backend.settings import Settings


@dataclass(frozen=True)
class Rendered:
    communication_id: int
    channel: str
    to: str | None
    external_id: str
    subject: str | None = None
    # What the log shows: the message as written for this user, before tracking.
    body: str | None = None
    text: str = ""
    html: str | None = None
    error: str | None = None

    def message(self, reference: str) -> Message:
        return Message(
            communication_id=self.communication_id,
            reference=reference,
            channel=self.channel,
            to=self.to or "",
            external_id=self.external_id,
            subject=self.subject,
            text=self.text,
            html=self.html,
        )


def context(
    user: Any, payload: dict[str, Any] | None, round_: int | None, levels: list[tuple[int, str]]
) -> dict[str, Any]:
    """What a template sees: the user as predicates see them, the capture's properties,
    the entry's round."""
    return {
        "user": facts_of(user, level=level_name(levels, user.points)).as_dict(),
        "event": {"properties": dict(payload or {})},
        "entry": {"round": round_},
    }


def render_message(item: Any, *, levels: list[tuple[int, str]], settings: Settings | None) -> Rendered:
    user, resource = item.user, item.resource
    base = Rendered(
        communication_id=item.id,
        channel=item.channel,
        to=getattr(user, ADDRESS[item.channel]),
        external_id=user.external_id,
    )
    ctx = context(user, item.payload, item.round, levels)
    html = item.channel == "EMAIL" and looks_like_html(resource.body)
    try:
        subject = templates.render(resource.subject, ctx) if resource.subject else None
        body = templates.render(resource.body, ctx, html=html)
    except templates.TemplateFailure as exc:
        return Rendered(**{**base.__dict__, "error": str(exc)})
    if subject is not None:
        subject = " ".join(subject.split())  # a header is one line
    if item.channel != "EMAIL" or settings is None:
        return Rendered(**{**base.__dict__, "subject": subject, "body": body, "text": body})
    links, policy = TrackingLinks(settings.secret_key, settings.public_url), LinkPolicy(resource.body)
    if html:
        return Rendered(
            **{
                **base.__dict__,
                "subject": subject,
                "body": body,
                "text": links.rewrite_text(item.id, text_of(body), policy),
                "html": links.rewrite_html(item.id, body, policy),
            }
        )
    return Rendered(
        **{**base.__dict__, "subject": subject, "body": body, "text": links.rewrite_text(item.id, body, policy)}
    )


def text_part(channel: str, body: str | None) -> str | None:
    """What the log shows of a stored message: its text, the text part for an HTML email."""
    if body is not None and channel == "EMAIL" and looks_like_html(body):
        return text_of(body)
    return body
