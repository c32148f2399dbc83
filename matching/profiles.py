"""What a project seeks and what a partner brings: the inputs of partner scoring.

Plain frozen dataclasses, validated on construction; None or an empty set means "not
known" and leaves the matching fit component unknown (see :mod:`matching.scoring`).
:mod:`matching.scoring` re-exports every name here, so ``from matching.scoring import
PartnerProfile`` keeps working.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from matching.errors import InvalidProfileError

__all__ = [
    "PARTNER_KINDS",
    "FINANCE_KINDS",
    "RISK_LEVELS",
    "INSTRUMENTS",
    "ProjectProfile",
    "PartnerProfile",
]

PARTNER_KINDS = (
    "technology company",
    "international investor",
    "financial institution",
    "local company",
)
#: Kinds that bring money rather than technical capabilities: scored on what they
#: finance (instruments, ticket against the amount sought), not on capabilities.
FINANCE_KINDS = ("international investor", "financial institution")
RISK_LEVELS = ("low", "medium", "high")
#: The financing instruments the platform names (others are accepted and compared as
#: given; these get proper words in the reasons).
INSTRUMENTS = ("loan", "equity", "guarantee", "grant", "green_bond", "mezzanine")


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
        ISO 4217 code of ``capex`` and ``financing_sought``.
    risk : str or None
        "low", "medium" or "high".
    instruments_sought : frozenset of str
        Financing instruments the project seeks from finance partners (see
        :data:`INSTRUMENTS`, e.g. "loan", "equity").
    financing_sought : float or None
        Amount the project seeks from finance partners, in ``currency``; when None a
        finance partner's ticket is compared with the whole capex.
    """

    id: str
    sector: str | None = None
    needs: frozenset[str] = field(default_factory=frozenset)
    country: str | None = None
    region: str | None = None
    capex: float | None = None
    currency: str | None = None
    risk: str | None = None
    instruments_sought: frozenset[str] = field(default_factory=frozenset)
    financing_sought: float | None = None

    def __post_init__(self) -> None:
        owner = f"project {self.id!r}"
        for name in ("needs", "instruments_sought"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        _check_money(owner, "capex", self.capex)
        _check_money(owner, "financing_sought", self.financing_sought)
        _check_risk(owner, "risk", self.risk)


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
        regions). Capabilities are scored for companies only (:data:`FINANCE_KINDS`
        are not penalised for claiming or lacking them).
    ticket_min, ticket_max : float or None
        Range of the amounts it commits per project, in ``currency``: the contract a
        company takes on, the loan or equity ticket of a finance partner.
    currency : str or None
    risk_appetite : str or None
        Highest project risk it takes: "low", "medium" or "high".
    track_record : int or None
        Completed comparable projects.
    instruments : frozenset of str
        Financing instruments it offers (see :data:`INSTRUMENTS`); scored for
        :data:`FINANCE_KINDS` only.
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
    instruments: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        owner = f"partner {self.id!r}"
        for name in ("sectors", "capabilities", "countries", "regions", "instruments"):
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

    @property
    def is_finance(self) -> bool:
        """Whether it is a finance partner (:data:`FINANCE_KINDS`)."""
        return self.kind in FINANCE_KINDS
