"""Filling `{{ user.* }}`, `{{ event.properties.* }}` and `{{ entry.* }}` into a webhook body.

The body is JSON text: each value goes in JSON-escaped (without its quotes), so a
user's attribute can never break out of the string it stands in or add fields.
"""

from __future__ import annotations

import json
import re

from backend.journeys.predicates import MISSING, Facts, lookup
from backend.journeys.state import EntryState, UserFacts
from backend.models import utcnow

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}")


def render_body(template: str | None, user: UserFacts, state: EntryState) -> str:
    if not template:
        return "{}"
    facts = Facts(
        now=utcnow(),
        user=user.as_dict(),
        event={"properties": dict(state.payload or {})},
        entry={"id": state.entry_id, "round": state.round, "journeyId": state.journey_id},
    )

    def fill(match: re.Match[str]) -> str:
        value = lookup(facts, match.group(1))
        if value is MISSING:
            return ""
        if isinstance(value, str):
            return json.dumps(value)[1:-1]
        return json.dumps(value, default=str)

    return _PLACEHOLDER.sub(fill, template)
