"""Infeasible bundles: the reported conflict is infeasible, minimal and in plain words."""

from __future__ import annotations

import dataclasses

import pytest

from appraisal.bundling.optimiser import Candidate, SectorRule, optimise_bundle
from appraisal.errors import InfeasibleBundleError
from tests.appraisal.bundling.test_bundles_oracle import best_value, random_instance


def _restrict(cands, limits, rules, keys):
    """The instance keeping only the conditions named by ``kind:name`` keys."""
    keys = set(keys)
    kept = [
        dataclasses.replace(
            c,
            requires=[r for r in c.requires if f"requires:{c.id}>{r}" in keys],
            excludes=[
                e for e in c.excludes if {f"excludes:{c.id}|{e}", f"excludes:{e}|{c.id}"} & keys
            ],
            group=c.group if f"group:{c.group}" in keys else None,
        )
        for c in cands
    ]
    out = {"limits": {r: v for r, v in limits.items() if f"limit:{r}" in keys}}
    for which in ("sector_min", "sector_max"):
        out[which] = {
            s: rule
            for s, rule in rules.get(which, {}).items()
            if f"{which}:{s}:{getattr(rule, 'resource', None) or 'count'}" in keys
        }
    for which in ("must_include", "must_exclude"):
        out[which] = [c for c in rules.get(which, []) if f"{which}:{c}" in keys]
    limits_kept = out.pop("limits")
    return kept, limits_kept, out


def _infeasible(cands, limits, rules, keys) -> bool:
    kept, lim, kept_rules = _restrict(cands, limits, rules, keys)
    return best_value(kept, lim, **kept_rules) is None


def _case(seed):
    """A tight random instance, forcing in its last candidate unless it is forced out."""
    cands, limits, rules = random_instance(seed, tight=0.15)
    if cands[-1].id not in rules.get("must_exclude", []):
        rules.setdefault("must_include", [cands[-1].id])
    return cands, limits, rules


def _infeasible_cases(count):
    found, seed = [], 0
    while len(found) < count:
        cands, limits, rules = _case(seed)
        if best_value(cands, limits, **rules) is None:
            found.append(seed)
        seed += 1
    return found


@pytest.mark.parametrize("seed", _infeasible_cases(12))
def test_conflict_is_infeasible_and_minimal(seed):
    cands, limits, rules = _case(seed)
    result = optimise_bundle(cands, limits, **rules)
    assert result.status == "infeasible"
    keys = result.conflict
    assert keys, "an infeasible problem always has a conflict to report"
    assert _infeasible(cands, limits, rules, keys)
    for key in keys:
        assert not _infeasible(cands, limits, rules, [k for k in keys if k != key]), key
    assert len(result.explanation) >= 2
    with pytest.raises(InfeasibleBundleError) as caught:
        result.require_feasible()
    assert caught.value.explanation == result.explanation[1:]


def test_forced_choices_over_a_limit_in_plain_words():
    cands = [
        Candidate("p3", 5.0, {"capex_2027": 70.0}),
        Candidate("p7", 4.0, {"capex_2027": 50.0}),
        Candidate("p9", 1.0, {"capex_2027": 1.0, "opex": 1.0}),
    ]
    result = optimise_bundle(cands, {"capex_2027": 100.0, "opex": 5.0}, must_include=["p3", "p7"])
    assert sorted(result.conflict) == ["limit:capex_2027", "must_include:p3", "must_include:p7"]
    assert "must-include p3 and p7 need 120 of capex_2027, the limit is 100" in (result.explanation)


def test_requirement_pulled_in_by_a_forced_choice_is_named():
    cands = [
        Candidate("base", 1.0, {"capex": 80.0}),
        Candidate("ext", 2.0, {"capex": 30.0}, requires=["base"]),
    ]
    result = optimise_bundle(cands, {"capex": 100.0}, must_include=["ext"])
    assert sorted(result.conflict) == ["limit:capex", "must_include:ext", "requires:ext>base"]
    text = " ".join(result.explanation)
    assert "must-include ext (with base, which they require) need 110 of capex" in text
    assert "ext requires base" in text


def test_sector_minimum_against_exclusion():
    cands = [
        Candidate("a", 1.0, {"k": 1.0}, sector="Energy"),
        Candidate("b", 1.0, {"k": 1.0}, sector="Energy", excludes=["a"]),
    ]
    result = optimise_bundle(cands, {"k": 10.0}, sector_min={"Energy": SectorRule(2)})
    assert sorted(result.conflict) == ["excludes:b|a", "sector_min:Energy:count"]
    assert "sector Energy needs at least 2 project(s)" in result.explanation
