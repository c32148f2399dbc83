"""Bad input to the bundle optimiser: each case raises a BundleInputError naming it."""

from __future__ import annotations

import math

import pytest

from appraisal.bundling.optimiser import Candidate, SectorRule, optimise_bundle
from appraisal.errors import AppraisalError, BundleInputError, CyclicRequirementError

A = Candidate("a", 1.0, {"k": 1.0})
B = Candidate("b", 2.0, {"k": 1.0})


@pytest.mark.parametrize(
    ("limits", "match"),
    [
        ({"k": -1.0}, "negative"),
        ({"k": math.nan}, "NaN"),
        ({"k": None}, "missing"),
        ({"k": "lots"}, "not a number"),
        ({}, "no limit is given for it"),
    ],
)
def test_bad_limits(limits, match):
    with pytest.raises(BundleInputError, match=match):
        optimise_bundle([A, B], limits)


@pytest.mark.parametrize(
    ("cands", "options", "match"),
    [
        ([A, Candidate("b", 1.0, {"k": 1.0}, requires=["zz"])], {}, "unknown id 'zz'"),
        ([A, Candidate("b", 1.0, {"k": 1.0}, excludes=["zz"])], {}, "unknown id 'zz'"),
        ([A, Candidate("b", 1.0, {"k": 1.0}, requires=["b"])], {}, "itself"),
        ([A, Candidate("b", 1.0, {"k": 1.0}, requires="a")], {}, "string"),
        ([A, B], {"must_include": ["zz"]}, "must_include names unknown candidate 'zz'"),
        ([A, B], {"must_exclude": ["zz"]}, "must_exclude names unknown candidate 'zz'"),
        ([A, B], {"must_include": "a"}, "string"),
        ([A, B], {"must_include": ["a"], "must_exclude": ["a"]}, "both in must_include"),
        ([A, A], {}, "appears twice"),
        ([], {}, "no candidates"),
        ([A, {"id": "b"}], {}, "not a Candidate"),
        ([A, Candidate("b", math.nan, {"k": 1.0})], {}, "value of candidate 'b'"),
        ([A, Candidate("b", 1.0, {"k": math.inf})], {}, "cost 'k' of candidate 'b'"),
        ([A, B], {"sector_min": {"Energy": -1}}, "negative"),
        ([A, B], {"sector_min": {"Energy": 1.5}}, "whole number"),
        ([A, B], {"sector_max": {"Energy": "x"}}, "SectorRule or a count"),
        ([A, B], {"sector_max": {"Energy": SectorRule(5.0, "capex")}}, "no candidate has"),
        ([A, B], {"objective": {"a": 1.0}}, "no score for"),
        ([A, B], {"solver": "gurobi"}, "unknown solver"),
        ([A, B], {"time_limit": 0}, "time_limit"),
        ([A, B], {"gap": 1.5}, "gap"),
    ],
)
def test_bad_candidates_and_options(cands, options, match):
    with pytest.raises(BundleInputError, match=match) as caught:
        optimise_bundle(cands, {"k": 5.0}, **options)
    assert isinstance(caught.value, AppraisalError)


def test_cycle_of_requirements_is_named():
    cands = [
        Candidate("a", 1.0, {"k": 1.0}, requires=["c"]),
        Candidate("b", 1.0, {"k": 1.0}, requires=["a"]),
        Candidate("c", 1.0, {"k": 1.0}, requires=["b"]),
        Candidate("d", 1.0, {"k": 1.0}, requires=["a"]),
    ]
    with pytest.raises(CyclicRequirementError, match="cycle") as caught:
        optimise_bundle(cands, {"k": 5.0})
    cycle = caught.value.cycle
    assert sorted(cycle) == ["a", "b", "c"]
    # Each member requires the next one round the cycle.
    needs = {c.id: c.requires for c in cands}
    assert all(cycle[(i + 1) % 3] in needs[cid] for i, cid in enumerate(cycle))


def test_infinite_limit_means_no_limit_and_unused_limits_are_fine():
    result = optimise_bundle([A, B], {"k": math.inf, "unused": 3.0})
    assert result.selected == ["a", "b"]
    assert result.status == "optimal"


def test_money_and_count_sector_rules_together():
    cands = [
        Candidate("a", 5.0, {"capex": 10.0}, sector="Energy"),
        Candidate("b", 4.0, {"capex": 10.0}, sector="Energy"),
        Candidate("c", 1.0, {"capex": 10.0}, sector="Health"),
    ]
    result = optimise_bundle(
        cands,
        {"capex": 30.0},
        sector_max={"Energy": [SectorRule(15.0, "capex"), SectorRule(2)]},
        sector_min={"Health": 1},
    )
    assert result.selected == ["a", "c"]
