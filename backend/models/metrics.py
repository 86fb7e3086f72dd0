"""Totals that outlive the rows they count, so a counter read from the database never goes down."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class MetricTotal(Base):
    """How many rows of a kind were removed (a journey deleted with its entries' steps):
    /metrics adds them to the rows still there."""

    __tablename__ = "metric_totals"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
