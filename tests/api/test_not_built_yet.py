"""What is not built yet is refused clearly, never accepted silently."""

from __future__ import annotations


async def test_preview_journey_answers_not_implemented(admin):
    journey = await admin.raw(
        'query { previewJourney(definition: {start: "x", steps: []}, externalId: "p1") { outcome } }'
    )
    assert [e["extensions"]["code"] for e in journey["errors"]] == ["NOT_IMPLEMENTED"]
