"""Illustrative KPI values drawn from plausibility ranges per income group.

Deterministic: the same city and KPI always give the same value (a seeded generator
per pair), so seeding twice changes nothing. Used by the demo set and by large
generated data sets; every value is stored with ``illustrative = True``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from app.models import Direction

DEFAULT_GROUP = "Upper middle income"
DEMO_YEAR = 2025


@dataclass(frozen=True)
class KpiRange:
    low: float
    high: float
    unit: str | None


def stable_seed(*parts: str) -> int:
    digest = hashlib.blake2b("|".join(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def draw_value(city_key: str, kpi_code: str, span: KpiRange, direction: Direction) -> float:
    """One illustrative value in ``span``; yes/no KPIs become 1.0 (draw >= 0.5) or 0.0."""
    u = np.random.default_rng(stable_seed(city_key, kpi_code)).random()
    value = span.low + u * (span.high - span.low)
    if direction is Direction.BOOLEAN:
        return 1.0 if value >= 0.5 else 0.0
    magnitude = max(abs(span.low), abs(span.high))
    digits = 0 if magnitude >= 1000 else 1 if magnitude >= 10 else 2
    return round(float(value), digits)


def income_group_of(group: str | None) -> str:
    return (
        group
        if group in {"High income", "Upper middle income", "Lower middle income", "Low income"}
        else DEFAULT_GROUP
    )
