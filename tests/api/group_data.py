"""Two journeys with everything below them (an entry, a communication, a bonus), one of
access group "a" and one of group "b", for tests that ask what an operator reaches."""

from __future__ import annotations

from backend.models import Bonus, BonusTemplate, Communication, Entry, Journey, Resource, User
from graphql_schema.ids import encode_id

DEFINITION = {"trigger": {"kind": "API"}, "start": "s", "steps": [{"id": "s", "kind": "send", "resource": "Hi"}]}
SECRET = "Group B secret journey"


def journey_with_everything(s, name: str, groups: list[str], user: User, resource: Resource, template) -> dict:
    journey = Journey(name=name, definition=DEFINITION, status="ACTIVE", access_groups=groups, tags=[])
    s.add(journey)
    s.flush()
    entry = Entry(journey_id=journey.id, user_id=user.id, status="WAITING", current_step_id="s", visits={})
    s.add(entry)
    s.flush()
    comm = Communication(
        idempotency_key=f"c-{name}",
        user_id=user.id,
        resource_id=resource.id,
        journey_id=journey.id,
        entry_id=entry.id,
        channel="EMAIL",
        status="SENT",
        subject=f"subject of {name}",
        body=f"body of {name}",
    )
    bonus = Bonus(
        idempotency_key=f"b-{name}",
        user_id=user.id,
        template_id=template.id,
        entry_id=entry.id,
        journey_id=journey.id,
        source="journey",
        status="GRANTED",
    )
    s.add_all([comm, bonus])
    s.flush()
    return {
        "Journey": encode_id("Journey", journey.id),
        "Entry": encode_id("Entry", entry.id),
        "Communication": encode_id("Communication", comm.id),
        "Bonus": encode_id("Bonus", bonus.id),
        "Resource": encode_id("Resource", resource.id),
    }


def seed_two_groups(db) -> tuple[dict, dict]:
    with db.unit_of_work() as uow:
        s = uow.session
        user = User(
            external_id="u5",
            external_id_lc="u5",
            username="five",
            username_lc="five",
            email="five@example.com",
            email_lc="five@example.com",
            phone="+4915112345678",
            attributes={},
            opt_outs=[],
        )
        resource = Resource(name="Hi", channel="EMAIL", subject="Hi", body="Hello")
        # Resources have groups of their own: group b's text is not group a's to read.
        resource_b = Resource(name="Hi b", channel="EMAIL", subject="Hi", body="Hello of Group B", access_groups=["b"])
        template = BonusTemplate(name="Spins", kind="FREE_SPINS", amount=10)
        s.add_all([user, resource, resource_b, template])
        s.flush()
        seen = journey_with_everything(s, "Group A journey", ["a"], user, resource, template)
        hidden = journey_with_everything(s, SECRET, ["b"], user, resource_b, template)
    return seen, hidden
