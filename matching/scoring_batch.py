"""Vectorised partner-project fit for many pairs at once.

The numbers equal those of the explained reference :func:`matching.scoring.score_pair`
(the tests check it): the set-membership components are read from boolean and sparse
incidence matrices, and the numeric ones call the same formulas
(:func:`~matching.fits.ticket_fit`, :func:`~matching.fits.risk_fit`,
:func:`~matching.fits.track_record_fit`) on arrays. Every component is computed for
every pair and weighted per pair by its partner's kind (weight 0 where the kind is not
scored on it: capabilities for a financier, finance for a company). Reasons in words
come only from the reference; ask it for the pairs that end up matched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from matching.components import combine_arrays
from matching.errors import NoCandidatesError, UnknownIdError
from matching.fits import check_fx, risk_fit, ticket_fit, track_record_fit
from matching.pairs import PairScores
from matching.scoring import (
    COMPONENT_NAMES,
    REGION_SCORE,
    RISK_LEVELS,
    PartnerProfile,
    ProjectProfile,
    kind_weights,
)

__all__ = ["score_pairs"]


class _Vocabulary(dict):
    """Codes for strings, assigned in order of first sight."""

    def code(self, value: str | None) -> int:
        return -1 if value is None else self.setdefault(value, len(self))


def _incidence(rows: Sequence[frozenset[str]], vocab: _Vocabulary) -> sp.csr_matrix:
    indptr = [0]
    indices: list[int] = []
    for members in rows:
        indices.extend(vocab.code(m) for m in members)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), len(vocab)))


def _member(matrix: sp.csr_matrix, rows: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """matrix[rows[i], codes[i]] != 0, False where codes[i] < 0."""
    known = codes >= 0
    out = np.zeros(len(rows), dtype=bool)
    if known.any() and matrix.shape[1]:
        out[known] = np.asarray(matrix[rows[known], codes[known]]).ravel() != 0
    return out


def _share_offered(
    wanted: Sequence[frozenset[str]],
    offered: Sequence[frozenset[str]],
    pi: np.ndarray,
    qi: np.ndarray,
) -> np.ndarray:
    """Share of each pair's wanted items on offer; NaN where either list is empty."""
    vocab = _Vocabulary()
    wants = _incidence(wanted, vocab)
    offers = _incidence(offered, vocab)
    wants.resize(len(wanted), len(vocab))
    n_wanted = np.diff(wants.indptr)
    has_offers = np.diff(offers.indptr) > 0
    matched = np.asarray(wants[pi].multiply(offers[qi]).sum(axis=1)).ravel()
    known = (n_wanted[pi] > 0) & has_offers[qi]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(known, matched / n_wanted[pi], np.nan)


def _pair_weights(
    partners: Sequence[PartnerProfile], qi: np.ndarray, weights: Mapping[str, float] | None
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Each pair's weight per component (0 where its partner's kind lacks the component),
    and whether the pair's partner is a financier."""
    kinds = sorted({partners[j].kind for j in np.unique(qi)})
    table = np.array(
        [[kind_weights(kind, weights).get(name, 0.0) for name in COMPONENT_NAMES] for kind in kinds]
    )
    kind_at = {kind: i for i, kind in enumerate(kinds)}
    row = np.array([kind_at.get(q.kind, 0) for q in partners])[qi]
    finance = np.array([q.is_finance for q in partners])[qi]
    return {name: table[row, j] for j, name in enumerate(COMPONENT_NAMES)}, finance


def _resolve_pairs(
    projects: Sequence[ProjectProfile],
    partners: Sequence[PartnerProfile],
    pairs: Iterable[tuple[str, str]] | np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    if pairs is None:
        pi, qi = np.divmod(np.arange(len(projects) * len(partners)), len(partners))
        return pi, qi
    if isinstance(pairs, np.ndarray) and pairs.dtype.kind in "iu":
        return pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)
    project_pos = {p.id: i for i, p in enumerate(projects)}
    partner_pos = {q.id: i for i, q in enumerate(partners)}
    pi_list, qi_list = [], []
    for project, partner in pairs:
        if project not in project_pos or partner not in partner_pos:
            raise UnknownIdError(
                f"pair ({project!r}, {partner!r}) names an unknown project or partner; "
                "give profiles for both"
            )
        pi_list.append(project_pos[project])
        qi_list.append(partner_pos[partner])
    return np.array(pi_list, dtype=np.int64), np.array(qi_list, dtype=np.int64)


def score_pairs(
    projects: Sequence[ProjectProfile],
    partners: Sequence[PartnerProfile],
    pairs: Iterable[tuple[str, str]] | np.ndarray | None = None,
    *,
    weights: Mapping[str, float] | None = None,
    fx: Mapping[str, float] | None = None,
) -> PairScores:
    """Fit score and confidence of many (project, partner) pairs, vectorised.

    Parameters
    ----------
    projects, partners : sequence of profiles
    pairs : iterable of (project_id, partner_id), or int array (n, 2), optional
        The candidate pairs, by id or by position in ``projects`` / ``partners``;
        every pair when omitted.
    weights, fx : mapping, optional
        As in :func:`matching.scoring.score_pair`.

    Returns
    -------
    PairScores
        Ready for :func:`matching.assignment.assign`, with ``confidence`` filled.

    Examples
    --------
    >>> p = ProjectProfile("p1", sector="Energy", country="KE", risk="high")
    >>> a = PartnerProfile("a", "local company", sectors={"Energy"}, countries={"KE"})
    >>> b = PartnerProfile("b", "technology company", sectors={"ICT"}, risk_appetite="low")
    >>> ps = score_pairs([p], [a, b])
    >>> ps.score.round(3).tolist(), ps.confidence.round(2).tolist()
    ([1.0, 0.0], [0.4, 0.35])
    """
    if not projects or not partners:
        raise NoCandidatesError("no projects or no partners to score; give at least one of each")
    check_fx(fx)
    pi, qi = _resolve_pairs(projects, partners, pairs)
    if len(pi) == 0:
        raise NoCandidatesError("no candidate pairs to score; give at least one")
    pair_weights, finance = _pair_weights(partners, qi, weights)

    sectors, places, currencies = (_Vocabulary() for _ in range(3))
    project_sector = np.array([sectors.code(p.sector) for p in projects])
    project_country = np.array([places.code(p.country) for p in projects])
    project_region = np.array([places.code(p.region) for p in projects])
    partner_sectors = _incidence([q.sectors for q in partners], sectors)
    partner_countries = _incidence([q.countries for q in partners], places)
    partner_regions = _incidence([q.regions for q in partners], places)

    values: dict[str, np.ndarray] = {}

    has_sectors = np.diff(partner_sectors.indptr) > 0
    sector_known = (project_sector[pi] >= 0) & has_sectors[qi]
    match = _member(partner_sectors, qi, project_sector[pi])
    values["sector"] = np.where(sector_known, match.astype(float), np.nan)

    values["capabilities"] = _share_offered(
        [p.needs for p in projects], [q.capabilities for q in partners], pi, qi
    )
    values["finance"] = _share_offered(
        [p.instruments_sought for p in projects], [q.instruments for q in partners], pi, qi
    )

    in_country = _member(partner_countries, qi, project_country[pi])
    in_region = _member(partner_regions, qi, project_region[pi])
    partner_places = (np.diff(partner_countries.indptr) + np.diff(partner_regions.indptr)) > 0
    geo_known = ((project_country[pi] >= 0) | (project_region[pi] >= 0)) & partner_places[qi]
    geo = np.where(in_country, 1.0, np.where(in_region, REGION_SCORE, 0.0))
    values["geography"] = np.where(geo_known, geo, np.nan)

    def amount(value: float | None, p: ProjectProfile) -> float:
        return np.nan if value is None or p.currency is None else value

    capex = np.array([amount(p.capex, p) for p in projects])
    # A financier's ticket meets the amount sought (the capex when none is given).
    sought = np.array(
        [amount(p.capex if p.financing_sought is None else p.financing_sought, p) for p in projects]
    )
    target = np.where(finance, sought[pi], capex[pi])
    project_cur = np.array([currencies.code(p.currency) for p in projects])
    partner_cur = np.array([currencies.code(q.currency) for q in partners])
    ticket_given = np.array(
        [
            (q.ticket_min is not None or q.ticket_max is not None) and q.currency is not None
            for q in partners
        ]
    )
    low = np.array([q.ticket_min or 0.0 for q in partners])
    high = np.array([np.inf if q.ticket_max is None else q.ticket_max for q in partners])
    rate = np.array([(fx or {}).get(c, np.nan) for c in currencies] + [np.nan])
    same = partner_cur[qi] == project_cur[pi]
    factor = np.where(same, 1.0, rate[partner_cur[qi]] / rate[project_cur[pi]])
    ticket_known = ~np.isnan(target) & ticket_given[qi] & ~np.isnan(factor)
    with np.errstate(invalid="ignore"):
        ticket = ticket_fit(target, low[qi] * factor, high[qi] * factor)
    values["ticket"] = np.where(ticket_known, ticket, np.nan)

    level = {name: float(i) for i, name in enumerate(RISK_LEVELS)}
    risk = np.array([level.get(p.risk, np.nan) for p in projects])
    appetite = np.array([level.get(q.risk_appetite, np.nan) for q in partners])
    values["risk"] = risk_fit(appetite[qi], risk[pi])

    record = np.array([np.nan if q.track_record is None else q.track_record for q in partners])
    values["track_record"] = track_record_fit(record[qi])

    score, confidence = combine_arrays(values, pair_weights)
    return PairScores(
        tuple(p.id for p in projects),
        tuple(q.id for q in partners),
        pi,
        qi,
        score,
        confidence,
    )
