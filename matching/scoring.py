"""Partner-project fit from explainable components, each in [0, 1].

Each kind of partner is scored on what it brings. Six components per kind:

======================  =================================  ===============================
component               technology / local company         international investor /
                                                            financial institution
======================  =================================  ===============================
sector                  0.25: a firm delivers within its   0.20: mandates are sector-led
                        trade; off-sector firms rarely     (e.g. clean-energy funds) but
                        bid                                broader than a firm's trade
capabilities            0.25: what it builds or operates,  -- (not scored: a financier is
                        the core of what it brings         neither rewarded nor penalised
                                                           for capabilities)
finance                 -- (companies are not asked for    0.20: the instruments it offers
                        financing instruments)             against those sought; a lender
                                                           cannot fill an equity need
geography               0.15: it must be able to work in   0.15: country and regional
                        the country; its region counts     mandates and exposure limits,
                        for part                           as for a firm
ticket                  0.15: the contract size it takes   0.20: its contribution *is*
                        on against the capex, a second     money: the ticket against the
                        screen                             amount sought (the capex when
                                                           none is given)
risk                    0.10: appetite against the         0.15: risk appetite is the first
                        project's risk                     screen of credit and investment
                                                           committees
track_record            0.10: completed comparable         0.10: the same, deals closed
                        projects
======================  =================================  ===============================

Each column sums to 1 (:data:`WEIGHTS_BY_KIND`). The two kinds of a column share
weights because they screen on the same things and differ in their values (appetite,
instruments, tickets), not in what matters. Ticket size is scored only in "ticket",
so the finance component does not count it twice.

Missing data leaves a component unknown: it lowers the confidence and is not scored
as zero (see :mod:`matching.components`). An empty capability or instrument list is
unknown, not "offers none". :func:`score_pair` is the explained reference;
:func:`matching.scoring_batch.score_pairs` computes the same numbers for many pairs at
once from the same component formulas (:mod:`matching.fits`). The profiles live in
:mod:`matching.profiles` and are re-exported here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from matching.components import Component, ExplainedScore, combine, resolve_weights
from matching.errors import InvalidWeightsError
from matching.fits import (
    TRACK_RECORD_FULL,
    check_fx,
    fx_factor,
    risk_fit,
    ticket_fit,
    track_record_fit,
)
from matching.profiles import (
    FINANCE_KINDS,
    INSTRUMENTS,
    PARTNER_KINDS,
    RISK_LEVELS,
    PartnerProfile,
    ProjectProfile,
)

__all__ = [
    "PARTNER_KINDS",
    "FINANCE_KINDS",
    "RISK_LEVELS",
    "INSTRUMENTS",
    "COMPONENT_NAMES",
    "DEFAULT_WEIGHTS",
    "FINANCE_WEIGHTS",
    "WEIGHTS_BY_KIND",
    "TRACK_RECORD_FULL",
    "REGION_SCORE",
    "ProjectProfile",
    "PartnerProfile",
    "kind_weights",
    "score_pair",
    "ticket_fit",
    "risk_fit",
    "track_record_fit",
    "fx_factor",
    "check_fx",
]

#: Every component name, in the order the components are listed.
COMPONENT_NAMES = (
    "sector",
    "capabilities",
    "finance",
    "geography",
    "ticket",
    "risk",
    "track_record",
)
#: Weights of a technology or local company (see the module docstring for why).
DEFAULT_WEIGHTS = {
    "sector": 0.25,
    "capabilities": 0.25,
    "geography": 0.15,
    "ticket": 0.15,
    "risk": 0.10,
    "track_record": 0.10,
}
#: Weights of an international investor or financial institution.
FINANCE_WEIGHTS = {
    "sector": 0.20,
    "finance": 0.20,
    "geography": 0.15,
    "ticket": 0.20,
    "risk": 0.15,
    "track_record": 0.10,
}
WEIGHTS_BY_KIND = {
    kind: FINANCE_WEIGHTS if kind in FINANCE_KINDS else DEFAULT_WEIGHTS for kind in PARTNER_KINDS
}
#: Geography score of a partner working across the project's region but not listed for
#: its country: likely able to work there, less certain than a named country.
REGION_SCORE = 0.75

# (with an article, plural) for the reasons; other instruments read as given.
_INSTRUMENT_WORDS = {
    "loan": ("a loan", "loans"),
    "equity": ("equity", "equity"),
    "guarantee": ("a guarantee", "guarantees"),
    "grant": ("a grant", "grants"),
    "green_bond": ("a green bond", "green bonds"),
    "mezzanine": ("mezzanine finance", "mezzanine finance"),
}


def kind_weights(kind: str, weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """Resolved weights of the components that score a partner of ``kind``.

    Parameters
    ----------
    kind : str
        One of :data:`PARTNER_KINDS`.
    weights : mapping, optional
        Weights of some components (any of :data:`COMPONENT_NAMES`); those a kind is
        not scored on are ignored for it, the rest keep their default.

    Returns
    -------
    dict
        The kind's components (in :data:`WEIGHTS_BY_KIND` order), weights summing to 1.

    Raises
    ------
    InvalidWeightsError
        For an unknown name, a negative or non-finite weight, or when every component
        of this kind is weighted zero.

    Examples
    --------
    >>> kind_weights("financial institution", {"capabilities": 2.0})["finance"]
    0.2
    >>> round(kind_weights("local company", {"ticket": 0.0})["sector"], 4)
    0.2941
    """
    resolve_weights(weights, dict.fromkeys(COMPONENT_NAMES, 1.0))  # names and values
    defaults = WEIGHTS_BY_KIND[kind]
    own = {name: value for name, value in (weights or {}).items() if name in defaults}
    if sum({**defaults, **own}.values()) <= 0:
        raise InvalidWeightsError(
            f"all weights are zero for a {kind} ({', '.join(defaults)}); "
            "give at least one of them a positive weight"
        )
    return resolve_weights(own, defaults)


def _listed(words: Iterable[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _instrument_words(instruments: Iterable[str], plural: bool) -> str:
    def order(name: str) -> tuple[int, str]:
        return (INSTRUMENTS.index(name) if name in INSTRUMENTS else len(INSTRUMENTS), name)

    return _listed(
        _INSTRUMENT_WORDS[name][plural] if name in _INSTRUMENT_WORDS else name.replace("_", " ")
        for name in sorted(instruments, key=order)
    )


def _money(amount: float, currency: str) -> str:
    for size, unit in ((1e9, " bn"), (1e6, " m"), (1e3, " k")):
        if amount >= size:
            return f"{currency} {amount / size:.3g}{unit}"
    return f"{currency} {amount:.3g}"


def _ticket_range(partner: PartnerProfile) -> str:
    currency = partner.currency or ""
    if partner.ticket_max is None:
        if not partner.ticket_min:
            return "ticket of any size"
        return f"ticket from {_money(partner.ticket_min, currency)}"
    if not partner.ticket_min:
        return f"ticket up to {_money(partner.ticket_max, currency)}"
    low = _money(partner.ticket_min, currency)
    high = _money(partner.ticket_max, currency).removeprefix(f"{currency} ")
    return f"ticket {low} to {high}"


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


def _finance(project: ProjectProfile, partner: PartnerProfile) -> Component:
    if not project.instruments_sought:
        return Component(
            "finance", None, "financing instruments sought not given: confidence lowered"
        )
    if not partner.instruments:
        return Component(
            "finance", None, "partner's financing instruments not given: confidence lowered"
        )
    sought = project.instruments_sought
    lack = sought - partner.instruments
    text = (
        f"offers {_instrument_words(partner.instruments, plural=True)}; "
        f"the project seeks {_instrument_words(sought, plural=False)}"
    )
    if lack:
        text += f" ({_instrument_words(lack, plural=True)} not offered)"
    return Component("finance", 1.0 - len(lack) / len(sought), text)


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
    sought = partner.is_finance and project.financing_sought is not None
    amount = project.financing_sought if sought else project.capex
    if amount is None:
        what = "amount sought and capex" if partner.is_finance else "capex"
        return Component("ticket", None, f"project {what} not given: confidence lowered")
    if project.currency is None:
        return Component("ticket", None, "project currency not given: confidence lowered")
    if (partner.ticket_min is None and partner.ticket_max is None) or partner.currency is None:
        return Component("ticket", None, "partner's ticket size not given: confidence lowered")
    factor = fx_factor(partner.currency, project.currency, fx)
    if factor is None:
        return Component(
            "ticket",
            None,
            f"ticket in {partner.currency}, project in {project.currency}: "
            "no exchange rate given, confidence lowered",
        )
    money = _money(amount, project.currency)
    target = f"the {money} sought" if sought else f"the capex {money}"
    low = (partner.ticket_min or 0.0) * factor
    high = math.inf if partner.ticket_max is None else partner.ticket_max * factor
    value = float(ticket_fit(amount, low, high))
    ticket = _ticket_range(partner)
    if amount < low:
        return Component("ticket", value, f"{ticket} is large for {target}")
    if amount > high:
        return Component("ticket", value, f"{ticket} covers part of {target}")
    return Component("ticket", value, f"{ticket} covers {target}")


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
        Weights of some components (see :func:`kind_weights`); the rest keep theirs.
    fx : mapping, optional
        Value of one unit of each currency in a common unit, to compare a ticket and a
        capex in different currencies; without it such a ticket is unknown.

    Returns
    -------
    ExplainedScore
        Score and confidence in [0, 1], every component of the partner's kind with its
        reason (capabilities for a company, finance for a financier, second).

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
    'ticket EUR 2 m to 20 m covers the capex EUR 8.5 m'
    >>> fit.reasons[-2]
    'no track record given: confidence lowered'
    >>> bank = PartnerProfile("q2", "financial institution", instruments={"loan", "guarantee"},
    ...     ticket_min=5e6, ticket_max=50e6, currency="EUR")
    >>> seeker = ProjectProfile("p2", capex=30e6, currency="EUR", financing_sought=12e6,
    ...     instruments_sought={"loan"})
    >>> fit = score_pair(seeker, bank)
    >>> fit.reasons[1]
    'offers loans and guarantees; the project seeks a loan'
    >>> fit.reasons[3]
    'ticket EUR 5 m to 50 m covers the EUR 12 m sought'
    """
    resolved = kind_weights(partner.kind, weights)
    check_fx(fx)
    parts = (
        _sector(project, partner),
        _finance(project, partner) if partner.is_finance else _capabilities(project, partner),
        _geography(project, partner),
        _ticket(project, partner, fx),
        _risk(project, partner),
        _track_record(partner),
    )
    return combine(parts, resolved)
