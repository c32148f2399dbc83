"""Consortia: exact against exhaustive search; roles, capacities, reasons."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.consortia import ROLES, form_consortia
from matching.errors import CapacityError, UnknownIdError
from matching.scoring import PARTNER_KINDS, PartnerProfile, ProjectProfile, score_pair

SECTORS = ["Energy", "ICT", "Health"]


@st.composite
def instances(draw):
    projects = [
        ProjectProfile(f"p{i}", sector=draw(st.sampled_from(SECTORS)), country="KE")
        for i in range(draw(st.integers(1, 3)))
    ]
    partners = [
        PartnerProfile(
            f"q{j}",
            draw(st.sampled_from(PARTNER_KINDS)),
            sectors=draw(st.frozensets(st.sampled_from(SECTORS), min_size=1)),
            countries=draw(st.sampled_from([{"KE"}, {"TZ"}])),
            track_record=draw(st.integers(0, 5)),
        )
        for j in range(draw(st.integers(1, 6)))
    ]
    capacity = {q.id: draw(st.integers(0, 2)) for q in partners}
    return projects, partners, capacity


def exhaustive(projects, partners, capacity, complete_only):
    """Best (filled roles or complete consortia, total fit) over every choice."""
    fit = {(p.id, q.id): score_pair(p, q).score for p in projects for q in partners}
    role_of = {q.id: r for r, kinds in ROLES.items() for q in partners if q.kind in kinds}
    per_role = [[None] + [q.id for q in partners if role_of[q.id] == r] for r in ROLES]
    choices = list(itertools.product(*per_role))
    if complete_only:
        choices = [c for c in choices if all(c) or not any(c)]
    best = None
    for combo in itertools.product(choices, repeat=len(projects)):
        used = Counter(q for choice in combo for q in choice if q)
        if any(used[q] > capacity[q] for q in used):
            continue
        filled = sum(all(c) for c in combo) if complete_only else sum(used.values())
        total = sum(fit[p.id, q] for p, c in zip(projects, combo, strict=True) for q in c if q)
        key = (filled, round(total, 9))
        best = key if best is None or key > best else best
    return best


@pytest.mark.parametrize("complete_only", [True, False])
@settings(max_examples=60, deadline=None)
@given(instance=instances())
def test_optimal_against_exhaustive_search(instance, complete_only):
    projects, partners, capacity = instance
    plan = form_consortia(projects, partners, capacity=capacity, complete_only=complete_only)
    used = Counter(m.partner for c in plan.consortia for m in c.members)
    assert all(used[q] <= capacity[q] for q in used)
    for c in plan.consortia:
        roles = [m.role for m in c.members]
        assert len(roles) == len(set(roles))
        assert not complete_only or c.complete
        for m in c.members:
            assert m.reasons and m.reasons[0].endswith(f"in the {m.role} role")
    filled = sum(c.complete for c in plan.consortia) if complete_only else sum(used.values())
    best = exhaustive(projects, partners, capacity, complete_only)
    assert filled == best[0]
    assert plan.total_fit == pytest.approx(best[1], abs=1e-9)
    assert set(plan.missing) == {
        p.id for p in projects if p.id not in {c.project for c in plan.consortia if c.complete}
    }


def test_missing_roles_and_capacity_are_explained():
    projects = [ProjectProfile("p1", sector="Energy"), ProjectProfile("p2", sector="Energy")]
    partners = [
        PartnerProfile("loc", "local company", sectors={"Energy"}),
        PartnerProfile("bank", "financial institution", sectors={"Energy"}),
        PartnerProfile("tec", "technology company", sectors={"Energy"}),
    ]
    plan = form_consortia(projects, partners)
    assert len(plan.consortia) == 1 and plan.method == "milp"
    assert "capacities used up" in next(iter(plan.missing.values()))
    no_tech = form_consortia(projects, partners[:2], complete_only=False)
    assert no_tech.missing["p1"] == "no candidate for the technology role"


def test_bad_input_is_named():
    project = ProjectProfile("p1")
    partner = PartnerProfile("q1", "local company")
    with pytest.raises(UnknownIdError, match="'nobody'"):
        form_consortia([project], [partner], blocked=[("p1", "nobody")])
    with pytest.raises(CapacityError, match="capacity of 'q1'"):
        form_consortia([project], [partner], capacity={"q1": -1})


def test_a_member_below_the_weak_fit_bar_is_weak():
    from matching.consortia import WEAK_FIT, Member

    assert Member("local", "a", "local", WEAK_FIT - 0.01, 1.0, ()).weak
    assert not Member("local", "a", "local", WEAK_FIT, 1.0, ()).weak
