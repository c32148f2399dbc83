"""Expert teams: needs covered under availability and per-expert load, with reasons;
the total covered weight is the best any team could reach (checked by brute force)."""

from __future__ import annotations

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.teams import ExpertOffer, Need, propose_team

FIELDS = ["energy", "urban-mobility", "Environment", "lang:fr"]


def test_an_expert_without_the_days_is_left_out_and_the_need_stays_uncovered():
    needs = [Need("energy", "Energy", 0.7), Need("lang:fr", "French", 0.5)]
    experts = [
        ExpertOffer("busy", frozenset({"energy", "lang:fr"}), 5, 20),
        ExpertOffer("eve", frozenset({"energy"}), 60, 20),
    ]
    team = propose_team(needs, experts)
    assert [(m.expert, m.needs) for m in team.members] == [("eve", ("energy",))]
    assert team.uncovered == ["French"]
    assert team.unavailable == {"busy": "available 5 days; an engagement takes 20"}
    assert "covers Energy" in team.members[0].reasons


def test_one_expert_carries_at_most_needs_per_expert_and_country_experience_breaks_ties():
    needs = [Need(f, f, 0.5) for f in ("energy", "urban-mobility", "Environment")]
    all_round = frozenset({"energy", "urban-mobility", "Environment"})
    experts = [
        ExpertOffer("ana", all_round, 100, 20),
        ExpertOffer("bo", all_round, 100, 20, countries=frozenset({"TN"})),
    ]
    team = propose_team(needs, experts, country="TN", needs_per_expert=2)
    loads = {m.expert: len(m.needs) for m in team.members}
    assert loads == {"bo": 2, "ana": 1}
    assert "has worked in TN" in team.members[0].reasons
    assert team.uncovered == []


def test_no_expert_fits_leaves_every_need_uncovered():
    team = propose_team([Need("energy", "Energy", 0.4)], [ExpertOffer("x", frozenset(), 50, 10)])
    assert team.members == [] and team.uncovered == ["Energy"]


def best_by_brute_force(needs, experts, per_expert):
    options = [[None] + [e for e in experts if n.field in e.fields] for n in needs]
    best = 0.0
    for choice in product(*options):
        used = [e.id for e in choice if e is not None]
        if any(used.count(i) > per_expert for i in set(used)):
            continue
        best = max(best, sum(n.weight for n, e in zip(needs, choice, strict=True) if e))
    return best


@settings(max_examples=40)
@given(
    weights=st.lists(st.integers(1, 9), min_size=1, max_size=4),
    fields=st.lists(st.sets(st.sampled_from(FIELDS), max_size=3), min_size=1, max_size=3),
    per_expert=st.integers(1, 2),
)
def test_the_team_covers_the_most_weight_possible(weights, fields, per_expert):
    needs = [Need(FIELDS[i], FIELDS[i], w / 10) for i, w in enumerate(weights)]
    experts = [ExpertOffer(f"e{i}", frozenset(f), 30, 20) for i, f in enumerate(fields)]
    team = propose_team(needs, experts, needs_per_expert=per_expert)
    weight = {n.field: n.weight for n in needs}
    covered = sum(weight[f] for m in team.members for f in m.needs)
    assert abs(covered - best_by_brute_force(needs, experts, per_expert)) < 1e-9
    assert all(len(m.needs) <= per_expert for m in team.members)
