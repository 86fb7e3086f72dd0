"""Users and events: profile lookups, upsertUsers, trackEvents, player tokens."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from backend.delivery import engagement
from backend.errors import NotFound, Unauthenticated
from backend.gamification import points
from backend.ids import pk_of
from backend.models import User as UserModel
from backend.models import utcnow
from backend.reports import journey_stats
from backend.reports import journeys as reads_journeys
from backend.reports import users as reads
from backend.users.intake import track_events
from backend.users.profiles import InvalidBatch, upsert_users
from graphql_schema.auth_header import bearer_token
from graphql_schema.ids import decode_any
from graphql_schema.payloads import returns_errors
from graphql_schema.types.common import Channel, DeliveryStatus, Period, PopupAction, user_error
from graphql_schema.types.communication_log import communication_page
from graphql_schema.types.gamification import GamificationFacts, GamificationPayload
from graphql_schema.types.graph import (
    Bonus,
    Communication,
    CommunicationConnection,
    CommunicationEdge,
    User,
)
from graphql_schema.types.pagination import PageRequest, clamp_first, connection, page_by_id_desc
from graphql_schema.types.results import (
    BonusPayload,
    CommunicationPayload,
    LeaderboardRow,
    UserConnection,
    UserEdge,
)
from graphql_schema.types.users import EventInput, TrackEventsPayload, UpsertUsersPayload, UserInput, UserTokenPayload


def _plain(obj: object, fields: tuple[str, ...]) -> dict:
    """Input objects as the service's camelCase dicts, leaving out what was not given."""
    out = {}
    for name in fields:
        camel = name.split("_")[0] + "".join(p.title() for p in name.split("_")[1:])
        value = getattr(obj, name)
        if isinstance(value, list):
            value = [v.value if isinstance(v, Channel) else v for v in value]
        out[camel] = value
    return out


@strawberry.type
class UserQuery:
    @strawberry.field
    async def user(self, info: Info, id: strawberry.ID | None = None, external_id: str | None = None) -> User | None:
        if id is not None:
            decoded = decode_any(id)
            if not decoded or decoded[0] != "User":
                return None
            row = await info.context.read(lambda s: s.get(UserModel, decoded[1]))
        elif external_id is not None:
            row = await info.context.read(lambda s: reads.user_by_external_id(s, external_id))
        else:
            return None
        return User.from_model(row) if row else None

    @strawberry.field
    async def users(
        self,
        info: Info,
        first: int | None = 50,
        after: str | None = None,
        search: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> UserConnection:
        request = PageRequest(first=first, after=after, last=last, before=before)
        page = await info.context.read(lambda s: page_by_id_desc(s, reads.search_users(search), UserModel.id, request))
        return connection(page, UserConnection, UserEdge, User.from_model)

    @strawberry.field
    async def communications(
        self,
        info: Info,
        first: int | None = 50,
        after: str | None = None,
        journey_id: strawberry.ID | None = None,
        resource_name: str | None = None,
        channel: Channel | None = None,
        status: DeliveryStatus | None = None,
        period: Period | None = None,
        search: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> CommunicationConnection:
        jid = None
        if journey_id is not None:
            decoded = decode_any(journey_id)
            jid = decoded[1] if decoded and decoded[0] == "Journey" else -1
            visible = await info.context.read(lambda s: reads_journeys.visible_journey(s, info.context.principal, jid))
            if visible is None:
                jid = -1  # a journey the caller may not see has no messages for them
        page = await communication_page(
            info,
            PageRequest(first=first, after=after, last=last, before=before),
            journey_id=jid,
            resource_name=resource_name,
            channel=channel,
            status=status,
            period=period,
            search=search,
        )
        return connection(page, CommunicationConnection, CommunicationEdge, Communication.from_model)

    @strawberry.field
    async def leaderboard(
        self, info: Info, period: Period | None = None, first: int | None = 10
    ) -> list[LeaderboardRow]:
        since, _ = journey_stats.window(period.value if period else None, None, None)
        limit = clamp_first(first)
        rows = await info.context.read(lambda s: points.leaderboard(s, since, limit))
        return [LeaderboardRow(rank=rank, user=User.from_model(u), points=p) for rank, u, p in rows]


@strawberry.type
class UserMutation:
    @strawberry.mutation
    @returns_errors(UpsertUsersPayload)
    async def upsert_users(self, info: Info, users: list[UserInput]) -> UpsertUsersPayload:
        fields = ("external_id", "username", "email", "phone", "timezone", "attributes", "opt_outs")
        items = [_plain(u, fields) for u in users]
        try:
            result = await info.context.write(lambda uow: upsert_users(uow, users=items))
        except InvalidBatch as exc:
            return UpsertUsersPayload(errors=[user_error(p) for p in exc.problems])
        return UpsertUsersPayload(created=result.created, updated=result.updated)

    @strawberry.mutation
    @returns_errors(TrackEventsPayload)
    async def track_events(self, info: Info, events: list[EventInput]) -> TrackEventsPayload:
        items = [_plain(e, ("event_id", "external_id", "name", "occurred_at", "properties")) for e in events]
        queue = info.context.services.queue
        try:
            result = await info.context.write(lambda uow: track_events(uow, events=items, queue=queue))
        except InvalidBatch as exc:
            return TrackEventsPayload(errors=[user_error(p) for p in exc.problems])
        return TrackEventsPayload(accepted=result.accepted, duplicates=result.duplicates)

    @strawberry.mutation
    @returns_errors(UserTokenPayload)
    async def issue_user_token(self, info: Info, external_id: str) -> UserTokenPayload:
        row = await info.context.read(lambda s: reads.user_by_external_id(s, external_id))
        if row is None:
            raise NotFound("user", ["externalId"])
        return UserTokenPayload(token=info.context.services.signer.user_token(row.id))

    @strawberry.mutation
    @returns_errors(CommunicationPayload)
    async def record_popup_action(
        self, info: Info, communication_id: strawberry.ID, action: PopupAction, url: str | None = None
    ) -> CommunicationPayload:
        """Called by the player's own client, with the user token as its bearer token."""
        services = info.context.services
        request = info.context.request
        token = bearer_token(request.headers.get("authorization") if request is not None else None)
        user_id = services.signer.read_user_token(token) if token else None
        if user_id is None:
            raise Unauthenticated("send the player's token (from issueUserToken) as 'Authorization: Bearer <token>'")
        pk = pk_of(communication_id, "Communication")
        if pk is None:
            raise NotFound("pop-up", ["communicationId"])
        row = await info.context.write(
            lambda uow: engagement.record_popup_action(
                uow,
                journeys=services.journeys,
                user_id=user_id,
                communication_id=pk,
                action=action.value,
                url=url,
                now=utcnow(),
            )
        )
        return CommunicationPayload(communication=Communication.from_model(row))

    @strawberry.mutation
    @returns_errors(GamificationPayload)
    async def adjust_points(self, info: Info, external_id: str, amount: int, reason: str) -> GamificationPayload:
        principal = info.context.principal

        def work(uow):
            user = points.adjust_points(uow, principal=principal, external_id=external_id, amount=amount, reason=reason)
            return points.facts(uow.session, user.id)

        return GamificationPayload(gamification=GamificationFacts.from_facts(await info.context.write(work)))

    @strawberry.mutation
    @returns_errors(BonusPayload)
    async def grant_bonus(
        self, info: Info, external_id: str, template_id: strawberry.ID, request_id: str
    ) -> BonusPayload:
        from backend.gamification.grants import grant_bonus
        from graphql_schema.ids import decode_id

        template_pk = decode_id(template_id, "BonusTemplate", ["templateId"])
        queue = info.context.services.queue
        row = await info.context.write(
            lambda uow: grant_bonus(
                uow, external_id=external_id, template_id=template_pk, request_id=request_id, queue=queue
            )
        )
        return BonusPayload(bonus=Bonus.from_model(row))
