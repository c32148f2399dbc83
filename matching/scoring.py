"""Partner-project fit from explainable components, each in [0, 1].

Six components: sector, capabilities against the project's needs, geography, ticket
size against the capex, risk appetite against the project's risk, and track record.
Missing data leaves a component unknown: it lowers the confidence and is not scored
as zero (see :mod:`matching.components`). :func:`score_pair` is the explained
reference; :func:`matching.scoring_batch.score_pairs` computes the same numbers for
many pairs at once from the same component formulas (:mod:`matching.fits`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from matching.components import Component, ExplainedScore, combine, resolve_weights
from matching.errors import InvalidProfileError
from matching.fits import (
    TRACK_RECORD_FULL,
    check_fx,
    fx_factor,
    risk_fit,
    ticket_fit,
    track_record_fit,
)

__all__ = [
    "PARTNER_KINDS",
    "RISK_LEVELS",
    "DEFAULT_WEIGHTS",
    "TRACK_RECORD_FULL",
    "REGION_SCORE",
    "ProjectProfile",
    "PartnerProfile",
    "score_pair",
    "ticket_fit",
    "risk_fit",
    "track_record_fit",
    "fx_factor",
    "check_fx",
]

PARTNER_KINDS = (
    "technology company",
    "international investor",
    "financial institution",
    "local company",
)
RISK_LEVELS = ("low", "medium", "high")
DEFAULT_WEIGHTS = {
    "sector": 0.25,
    "capabilities": 0.25,
    "geography": 0.15,
    "ticket": 0.15,
    "risk": 0.10,
    "track_record": 0.10,
}
#: Geography score of a partner working across the project's region but not listed for
#: its country: likely able to work there, less certain than a named country.
REGION_SCORE = 0.75


def _frozen(values: Iterable[str] | None) -> frozenset[str]:
    if values is None:
        return frozenset()
    if isinstance(values, str):
        return frozenset({values})
    return frozenset(values)


def _check_money(owner: str, label: str, value: float | None) -> None:
    if value is not None and (not math.isfinite(value) or value < 0):
        raise InvalidProfileError(f"{owner}: {label} is {value}; give a finite amount >= 0")


def _check_risk(owner: str, label: str, value: str | None) -> None:
    if value is not None and value not in RISK_LEVELS:
        raise InvalidProfileError(
            f"{owner}: {label} {value!r} is unknown; use one of {', '.join(RISK_LEVELS)}"
        )


@dataclass(frozen=True)
class ProjectProfile:
    """What a project needs from partners; None or empty means not known.

    Attributes
    ----------
    id : str
    sector : str or None
        One of the programme sectors (e.g. "Energy").
    needs : frozenset of str
        Capabilities the project needs (e.g. "smart metering").
    country : str or None
        ISO 3166 alpha-2 code of the project's country.
    region : str or None
        World Bank region (e.g. "Sub-Saharan Africa").
    capex : float or None
        Investment cost, in ``currency``.
    currency : str or None
        ISO 4217 code of ``capex``.
    risk : str or None
        "low", "medium" or "high".
    """

    id: str
    sector: str | None = None
    needs: frozenset[str] = field(default_factory=frozenset)
    country: str | None = None
    region: str | None = None
    capex: float | None = None
    currency: str | None = None
    risk: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "needs", _frozen(self.needs))
        _check_money(f"project {self.id!r}", "capex", self.capex)
        _check_risk(f"project {self.id!r}", "risk", self.risk)


@dataclass(frozen=True)
class PartnerProfile:
    """What a partner offers; None or empty means not known.

    Attributes
    ----------
    id : str
    kind : str
        One of :data:`PARTNER_KINDS`.
    sectors, capabilities, countries, regions : frozenset of str
        Where and in what it works (countries as ISO alpha-2, regions as World Bank
        regions).
    ticket_min, ticket_max : float or None
        Range of the amounts it commits per project, in ``currency``.
    currency : str or None
    risk_appetite : str or None
        Highest project risk it takes: "low", "medium" or "high".
    track_record : int or None
        Completed comparable projects.
    """

    id: str
    kind: str
    sectors: frozenset[str] = field(default_factory=frozenset)
    capabilities: frozenset[str] = field(default_factory=frozenset)
    countries: frozenset[str] = field(default_factory=frozenset)
    regions: frozenset[str] = field(default_factory=frozenset)
    ticket_min: float | None = None
    ticket_max: float | None = None
    currency: str | None = None
    risk_appetite: str | None = None
    track_record: int | None = None

    def __post_init__(self) -> None:
        owner = f"partner {self.id!r}"
        for name in ("sectors", "capabilities", "countries", "regions"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        if self.kind not in PARTNER_KINDS:
            raise InvalidProfileError(
                f"{owner}: kind {self.kind!r} is unknown; use one of {', '.join(PARTNER_KINDS)}"
            )
        _check_money(owner, "ticket_min", self.ticket_min)
        _check_money(owner, "ticket_max", self.ticket_max)
        if (
            self.ticket_min is not None
            and self.ticket_max is not None
            and self.ticket_min > self.ticket_max
        ):
            raise InvalidProfileError(f"{owner}: ticket_min exceeds ticket_max; swap them")
        _check_risk(owner, "risk_appetite", self.risk_appetite)
        if self.track_record is not None and self.track_record < 0:
            raise InvalidProfileError(f"{owner}: track_record is negative; give a count >= 0")


def _money(amount: float, currency: str) -> str:
    for size, unit in ((1e9, " bn"), (1e6, " m"), (1e3, " k")):
        if amount >= size:
            return f"{currency} {amount / size:.3g}{unit}"
    return f"{currency} {amount:.3g}"


def _ticket_range(partner: PartnerProfile) -> str:
    low = _money(partner.ticket_min or 0.0, partner.currency or "")
    if partner.ticket_max is None:
        return f"ticket from {low}"
    return f"ticket {low} to {_money(partner.ticket_max, partner.currency or '')}"


def _sector(project: ProjectProfile, partner: PartnerProfile) -> Component:
    if project.sector is None:
        return Component("sector", None, "project sector not given: confidence lowered")
    if not partner.sectors:
        return Component("sector", None, "partner's sectors not given: confidence lowered")
    if project.sector in partner.sectors:
        return Component("sector", 1.0, f"works in {project.sector} (the project's sector)")
    return Component("sector", 0.0, f"does not work in {project.sector} (the project's sector)")


def _capabilities(project: ProjectProfile, partner: PartnerProfile) -> Component:
    if not project.needs:
        return Component("capabilities", None, "project needs not given: confidence lowered")
    if not partner.capabilities:
        return Component(
            "capabilities", None, "partner's capabilities not given: confidence lowered"
        )
    have = sorted(project.needs & partner.capabilities)
    lack = sorted(project.needs - partner.capabilities)
    text = f"offers {len(have)} of {len(project.needs)} needed capabilities"
    if have:
        text += f" ({', '.join(have)})"
    if lack:
        text += f"; lacks {', '.join(lack)}"
    return Component("capabilities", len(have) / len(project.needs), text)


def _geography(project: ProjectProfile, partner: PartnerProfile) -> Component:
    if project.country is None and project.region is None:
        return Component("geography", None, "project location not given: confidence lowered")
    if not partner.countries and not partner.regions:
        return Component(
            "geography", None, "partner's countries and regions not given: confidence lowered"
        )
    if project.country is not None and project.country in partner.countries:
        return Component("geography", 1.0, f"works in {project.country} (the project's country)")
    if project.region is not None and project.region in partner.regions:
        return Component(
            "geography",
            REGION_SCORE,
            f"works across {project.region} (the project's region)",
        )
    where = " or ".join(p for p in (project.country, project.region) if p)
    return Component("geography", 0.0, f"does not work in {where}")


def _ticket(
    project: ProjectProfile, partner: PartnerProfile, fx: Mapping[str, float] | None
) -> Component:
    if project.capex is None or project.currency is None:
        return Component("ticket", None, "project capex not given: confidence lowered")
    if (partner.ticket_min is None and partner.ticket_max is None) or partner.currency is None:
        return Component("ticket", None, "partner's ticket size not given: confidence lowered")
    factor = fx_factor(partner.currency, project.currency, fx)
    capex = _money(project.capex, project.currency)
    if factor is None:
        return Component(
            "ticket",
            None,
            f"ticket in {partner.currency}, capex in {project.currency}: "
            "no exchange rate given, confidence lowered",
        )
    low = (partner.ticket_min or 0.0) * factor
    high = math.inf if partner.ticket_max is None else partner.ticket_max * factor
    value = float(ticket_fit(project.capex, low, high))
    ticket = _ticket_range(partner)
    if project.capex < low:
        return Component("ticket", value, f"{ticket} is large for the capex {capex}")
    if project.capex > high:
        return Component("ticket", value, f"{ticket} covers part of the capex {capex}")
    return Component("ticket", value, f"{ticket} covers the capex {capex}")


def _risk(project: ProjectProfile, partner: PartnerProfile) -> Component:
    if project.risk is None:
        return Component("risk", None, "project risk not given: confidence lowered")
    if partner.risk_appetite is None:
        return Component("risk", None, "partner's risk appetite not given: confidence lowered")
    value = float(
        risk_fit(RISK_LEVELS.index(partner.risk_appetite), RISK_LEVELS.index(project.risk))
    )
    verb = "covers" if value == 1.0 else "falls short of"
    return Component(
        "risk", value, f"{partner.risk_appetite} risk appetite {verb} the {project.risk} risk"
    )


def _track_record(partner: PartnerProfile) -> Component:
    if partner.track_record is None:
        return Component("track_record", None, "no track record given: confidence lowered")
    value = float(track_record_fit(partner.track_record))
    return Component(
        "track_record",
        value,
        f"{partner.track_record} completed comparable projects "
        f"(full marks from {TRACK_RECORD_FULL})",
    )


def score_pair(
    project: ProjectProfile,
    partner: PartnerProfile,
    *,
    weights: Mapping[str, float] | None = None,
    fx: Mapping[str, float] | None = None,
) -> ExplainedScore:
    """Explained fit of one partner for one project.

    Parameters
    ----------
    project : ProjectProfile
    partner : PartnerProfile
    weights : mapping, optional
        Weights of some components (see :data:`DEFAULT_WEIGHTS`); the rest keep theirs.
    fx : mapping, optional
        Value of one unit of each currency in a common unit, to compare a ticket and a
        capex in different currencies; without it such a ticket is unknown.

    Returns
    -------
    ExplainedScore
        Score and confidence in [0, 1], every component with its reason.

    Examples
    --------
    >>> project = ProjectProfile("p1", sector="Energy", needs={"smart metering"},
    ...     country="KE", capex=8.5e6, currency="EUR", risk="medium")
    >>> partner = PartnerProfile("q1", "technology company", sectors={"Energy"},
    ...     capabilities={"smart metering"}, countries={"KE"}, ticket_min=2e6,
    ...     ticket_max=20e6, currency="EUR", risk_appetite="high")
    >>> fit = score_pair(project, partner)
    >>> round(fit.score, 3), round(fit.confidence, 2)
    (1.0, 0.9)
    >>> fit.reasons[3]
    'ticket EUR 2 m to EUR 20 m covers the capex EUR 8.5 m'
    >>> fit.reasons[-2]
    'no track record given: confidence lowered'
    """
    resolved = resolve_weights(weights, DEFAULT_WEIGHTS)
    check_fx(fx)
    parts = (
        _sector(project, partner),
        _capabilities(project, partner),
        _geography(project, partner),
        _ticket(project, partner, fx),
        _risk(project, partner),
        _track_record(partner),
    )
    return combine(parts, resolved)
