"""match_partners end to end: every match explained, loads kept, scores consistent."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from matching.errors import NoCandidatesError
from matching.partners import match_partners
from matching.scoring import PARTNER_KINDS, RISK_LEVELS, PartnerProfile, ProjectProfile, score_pair


def make_profiles(seed):
    rng = np.random.default_rng(seed)
    sectors, caps = ["Energy", "ICT", "Health"], ["a", "b", "c", "d"]
    projects = [
        ProjectProfile(
            f"p{i}",
            sector=str(rng.choice(sectors)),
            needs=set(rng.choice(caps, 2, replace=False).tolist()),
            country="KE",
            capex=float(rng.uniform(1e6, 3e7)),
            currency="EUR",
            risk=str(rng.choice(RISK_LEVELS)),
        )
        for i in range(12)
    ]
    partners = [
        PartnerProfile(
            f"q{j}",
            str(rng.choice(PARTNER_KINDS)),
            sectors=set(rng.choice(sectors, 2, replace=False).tolist()),
            capabilities=set(rng.choice(caps, 2, replace=False).tolist()),
            countries={"KE"} if rng.random() < 0.5 else set(),
            ticket_min=1e6,
            ticket_max=2e7,
            currency="EUR",
            track_record=None if rng.random() < 0.3 else int(rng.integers(0, 8)),
        )
        for j in range(6)
    ]
    return projects, partners


@pytest.mark.parametrize("seed", range(5))
def test_every_match_is_explained_and_loads_hold(seed):
    projects, partners = make_profiles(seed)
    result = match_partners(projects, partners, capacity=3, demand=2)
    assert len(result.matches) == 6 * 3  # 18 slots of capacity for 24 of demand
    assert sum(result.unmet_demand.values()) == 12 * 2 - 18
    load = Counter(m.partner for m in result.matches)
    assert max(load.values()) <= 3
    for m in result.matches:
        assert len(m.reasons) >= 6 and all(m.reasons)
        project = next(p for p in projects if p.id == m.project)
        partner = next(q for q in partners if q.id == m.partner)
        assert m.score == pytest.approx(score_pair(project, partner).score, abs=1e-12)


def test_candidates_restrict_the_pairs():
    projects, partners = make_profiles(0)
    result = match_partners(projects[:2], partners, candidates={"p0": ["q1"], "p1": ["q2"]})
    assert {(m.project, m.partner) for m in result.matches} == {("p0", "q1"), ("p1", "q2")}
    with pytest.raises(NoCandidatesError):
        match_partners(projects, partners, candidates={})
