"""A resource's text as one user would get it, before it is saved or sent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.delivery import templates
from backend.delivery.render import context
from backend.delivery.tracking import looks_like_html
from backend.errors import DomainError
from backend.models import Level
from backend.reports.users import user_by_external_id
from backend.text_checks import storable


@dataclass(frozen=True)
class PreviewText:
    subject: str | None
    body: str | None
    # The template's error in words; the subject and body are then null.
    error: str | None = None


def preview_text(
    session: Session, *, channel: str, subject: str | None, body: str, external_id: str, payload: Any = None
) -> PreviewText:
    """Renders as delivery does (same sandbox, same context), without tracking links:
    what the communication log would show for this user."""
    if not storable(external_id):
        raise DomainError("INVALID_INPUT", "externalId must be text without NUL characters", ["externalId"])
    user = user_by_external_id(session, external_id)
    if user is None:
        raise DomainError("NOT_FOUND", f"no user with external id {external_id!r}", ["externalId"])
    levels = sorted((threshold, name) for threshold, name in session.execute(select(Level.threshold, Level.name)))
    ctx = context(user, payload if isinstance(payload, dict) else None, 1, levels)
    try:
        rendered_subject = templates.render(subject, ctx) if subject else None
        rendered_body = templates.render(body, ctx, html=channel == "EMAIL" and looks_like_html(body))
    except templates.TemplateFailure as exc:
        return PreviewText(subject=None, body=None, error=str(exc))
    if rendered_subject is not None:
        rendered_subject = " ".join(rendered_subject.split())
    return PreviewText(subject=rendered_subject, body=rendered_body)
