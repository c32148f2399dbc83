"""KPI attainment against targets, U4SSC bands, and gaps rolled up per category or sector.

U4SSC scores each KPI against its target in four bands: below 33 %, 33-66 %, 66-95 %
and 95 % or more of the target (1 to 4 points); a category's score is its points over
the maximum. Direction matters:

- ``higher``: attainment = value / target;
- ``lower``: attainment = target / value; for a zero target (informal settlements 0 %)
  the ratio is undefined, so a difference is used: attainment = 1 - value / 100 for
  percentages (a zero target in another unit gets no band, with the reason);
- ``target``: best at the target, attainment = 1 - |value - target| / target;
- ``boolean``: yes (1) attains, no (0) does not;
- ``mixed``: the headline data point's target is read as higher-is-better.

Attainment is capped at 1; the gap is ``1 - attainment``, in [0, 1].
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from appraisal.errors import InvalidParameterError

__all__ = ["BANDS", "KpiAssessment", "assess", "attainment", "band", "gap_closure", "rollup"]

# (lower bound of attainment, points, label)
BANDS = (
    (0.95, 4, "95 % or more of target"),
    (0.66, 3, "66-95 % of target"),
    (0.33, 2, "33-66 % of target"),
    (0.0, 1, "below 33 % of target"),
)


@dataclass(frozen=True)
class KpiAssessment:
    """One KPI of one city against its target."""

    code: str
    value: float | None
    target: float | None
    direction: str
    attainment: float | None
    band: int | None
    gap: float | None
    reason: str


def attainment(
    value: float | None, target: float | None, direction: str, *, unit: str | None = None
) -> tuple[float | None, str]:
    """Attainment in [0, 1] of ``value`` against ``target``, and how it was computed.

    Examples
    --------
    >>> attainment(30.0, 60.0, "higher")
    (0.5, '30 of target 60 (higher is better): 50 % attained')
    >>> attainment(5.0, 0.0, "lower", unit="%")[0]
    0.95
    >>> attainment(None, 60.0, "higher")
    (None, 'no value recorded')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, "no value recorded"
    if target is None or (isinstance(target, float) and math.isnan(target)):
        return None, "no target set: staff can set one"
    value, target = float(value), float(target)
    if direction == "mixed":
        direction = "higher"
    if direction == "boolean":
        result, how = (1.0 if value >= 0.5 else 0.0), "yes/no: " + ("yes" if value >= 0.5 else "no")
        return result, how
    if direction == "higher":
        if target <= 0:
            return None, f"target {target:g} is not positive: no band"
        result = value / target
        how = f"{value:g} of target {target:g} (higher is better)"
    elif direction == "lower":
        if target == 0:
            if unit and "%" in unit:
                result = 1 - value / 100
                how = f"{value:g} % against a zero target (difference from 0 %)"
            else:
                return None, "zero target in a unit that is not a percentage: no band"
        elif value <= 0:
            result, how = 1.0, f"{value:g} at or below target {target:g} (lower is better)"
        else:
            result = target / value
            how = f"{value:g} against target {target:g} (lower is better)"
    elif direction == "target":
        if target == 0:
            return None, "a closest-to-target KPI with a zero target: no band"
        result = 1 - abs(value - target) / abs(target)
        how = f"{value:g} against target {target:g} (best at the target)"
    else:
        raise InvalidParameterError(
            f"unknown direction {direction!r}: use higher, lower, target, boolean or mixed"
        )
    result = max(0.0, min(1.0, result))
    return result, f"{how}: {result * 100:.0f} % attained"


def band(value: float | None) -> int | None:
    """U4SSC points (1-4) of an attainment, or None without one.

    >>> [band(a) for a in (0.1, 0.5, 0.8, 0.95, None)]
    [1, 2, 3, 4, None]
    """
    if value is None:
        return None
    for lower, points, _ in BANDS:
        if value >= lower:
            return points
    return 1


def assess(rows: Iterable[Mapping]) -> pd.DataFrame:
    """Assess KPIs given as mappings with code, value, target, direction and unit.

    Other keys (category, sectors, name...) are carried through. Returns one row per
    KPI with ``attainment``, ``band``, ``gap`` and ``reason`` added.

    >>> frame = assess([{"code": "A", "value": 30, "target": 60, "direction": "higher"},
    ...                 {"code": "B", "value": None, "target": 10, "direction": "lower"}])
    >>> frame[["code", "band", "gap"]].to_dict("records")
    [{'code': 'A', 'band': 2.0, 'gap': 0.5}, {'code': 'B', 'band': nan, 'gap': nan}]
    """
    records = []
    for row in rows:
        share, reason = attainment(
            row.get("value"),
            row.get("target"),
            row.get("direction", "higher"),
            unit=row.get("unit"),
        )
        records.append(
            dict(row)
            | {
                "attainment": share,
                "band": band(share),
                "gap": None if share is None else round(1 - share, 12),
                "reason": reason,
            }
        )
    frame = pd.DataFrame.from_records(records)
    for column in ("attainment", "band", "gap"):
        if column in frame:
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame


def rollup(assessed: pd.DataFrame, by: str) -> pd.DataFrame:
    """Points over the maximum and the mean gap per ``by`` (e.g. category or sector).

    A column holding lists (a KPI in several sectors) counts the KPI in each.

    >>> frame = assess([{"code": "A", "value": 30, "target": 60, "direction": "higher",
    ...                  "sector": ["energy"]},
    ...                 {"code": "B", "value": 10, "target": 10, "direction": "lower",
    ...                  "sector": ["energy", "ict"]}])
    >>> rollup(frame, "sector").loc["energy", ["points", "max_points", "score"]].tolist()
    [6.0, 8.0, 0.75]
    """
    if assessed.empty or by not in assessed.columns:
        columns = ["kpis_scored", "points", "mean_gap", "max_points", "score", "kpis"]
        return pd.DataFrame(columns=columns, index=pd.Index([], name=by))
    lists = assessed[by].map(lambda v: isinstance(v, list)).any()
    frame = assessed.explode(by) if lists else assessed
    scored = frame.dropna(subset=["band"])
    grouped = scored.groupby(by)
    table = pd.DataFrame(
        {
            "kpis_scored": grouped["band"].count(),
            "points": grouped["band"].sum(),
            "mean_gap": grouped["gap"].mean(),
        }
    )
    table["max_points"] = table["kpis_scored"] * 4.0
    table["score"] = table["points"] / table["max_points"]
    counts = frame.groupby(by)["code"].count().rename("kpis")
    return table.join(counts, how="right").fillna({"kpis_scored": 0, "points": 0.0})


def gap_closure(kpi_codes: Iterable[str], gaps: Mapping[str, float]) -> float:
    """A project's gap-closure weight: the sum of the city's gaps on the KPIs it addresses.

    KPIs without a gap (no value or no target) add nothing.

    >>> gap_closure(["A", "B", "C"], {"A": 0.5, "B": 0.25})
    0.75
    """
    return float(sum(gaps.get(code) or 0.0 for code in set(kpi_codes)))
