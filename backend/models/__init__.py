"""Every table of the domain. Import `Base.metadata` from here to see them all."""

from .base import Base, BigId, Json, UTCDateTime, utcnow
from .delivery import Communication, Resource
from .gamification import (
    Badge,
    BadgeAward,
    Bonus,
    BonusTemplate,
    Level,
    Mission,
    MissionProgress,
    PointsLedger,
)
from .journeys import Entry, EntryStep, Journey, JourneyVersion, WebhookCall
from .metrics import MetricTotal
from .operators import LoginFailure, Operator
from .segments import SegmentRun
from .users import Event, User

metadata = Base.metadata

__all__ = [
    "Badge",
    "BadgeAward",
    "Base",
    "BigId",
    "Bonus",
    "BonusTemplate",
    "Communication",
    "Entry",
    "EntryStep",
    "Event",
    "Journey",
    "JourneyVersion",
    "Json",
    "Level",
    "LoginFailure",
    "MetricTotal",
    "Mission",
    "MissionProgress",
    "Operator",
    "PointsLedger",
    "Resource",
    "SegmentRun",
    "UTCDateTime",
    "User",
    "WebhookCall",
    "metadata",
    "utcnow",
]
