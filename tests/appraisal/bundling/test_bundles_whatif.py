"""What-ifs of a bundle: every conflict at once, changes confirmed by re-solving, and
gains of a raised limit that the 0-1 problem (not the LP relaxation) gives."""

from __future__ import annotations

import pytest

from appraisal.bundling.optimiser import Candidate, budget_curve, optimise_bundle
from tests.appraisal.bundling.test_bundles_infeasible import (
    _case,
    _infeasible_cases,
    _restrict,
)
from tests.appraisal.bundling.test_bundles_oracle import best_value

# Two forced projects spend in two years; each year's budget is short: two conflicts.
YEARS = [
    Candidate("a", 5.0, {"y26": 4.0, "y27": 1.0}),
    Candidate("b", 3.0, {"y26": 1.0, "y27": 2.0}),
    Candidate("c", 1.0, {"y26": 1.0}),
]
YEAR_LIMITS = {"y26": 3.0, "y27": 2.0}


def test_conflicts_of_every_year_are_shown_at_once():
    result = optimise_bundle(YEARS, YEAR_LIMITS, must_include=["a", "b"])
    assert result.status == "infeasible"
    limits = sorted(k for c in result.conflicts for k in c if k.startswith("limit:"))
    assert limits == ["limit:y26", "limit:y27"]  # before: only the first year's conflict
    assert "2 separate conflicts" in result.explanation[0]


def test_the_budget_raise_covers_every_year_and_the_solver_confirms_it():
    result = optimise_bundle(YEARS, YEAR_LIMITS, must_include=["a", "b"])
    raise_ = next(r for r in result.repairs if r.raise_to)
    assert raise_.raise_to == pytest.approx({"y26": 5.0, "y27": 3.0})
    again = optimise_bundle(YEARS, YEAR_LIMITS | raise_.raise_to, must_include=["a", "b"])
    assert again.status == "optimal" and again.objective == pytest.approx(raise_.objective)
    # Raising one year alone (what the one-year explanation suggested) is not enough.
    one = optimise_bundle(YEARS, YEAR_LIMITS | {"y26": 5.0}, must_include=["a", "b"])
    assert one.status == "infeasible"
    untick = next(r for r in result.repairs if r.drop)
    assert untick.drop in (("must_include:a",), ("must_include:b",))


def _apply(cands, limits, rules, repair):
    keep = [f"limit:{r}" for r in limits]
    keep += [f"{w}:{c}" for w in ("must_include", "must_exclude") for c in rules.get(w, [])]
    keep += [f"requires:{c.id}>{r}" for c in cands for r in c.requires]
    keep += [f"excludes:{c.id}|{e}" for c in cands for e in c.excludes]
    keep += [f"group:{c.group}" for c in cands if c.group]
    for which in ("sector_min", "sector_max"):
        for sector, rule in rules.get(which, {}).items():
            keep.append(f"{which}:{sector}:{getattr(rule, 'resource', None) or 'count'}")
    kept, kept_limits, kept_rules = _restrict(cands, limits, rules, set(keep) - set(repair.drop))
    return kept, kept_limits | repair.raise_to, kept_rules


@pytest.mark.parametrize("seed", _infeasible_cases(10))
def test_every_suggested_change_makes_the_bundle_feasible(seed):
    cands, limits, rules = _case(seed)
    result = optimise_bundle(cands, limits, **rules)
    assert result.status == "infeasible" and result.repairs
    for repair in result.repairs:
        kept, kept_limits, kept_rules = _apply(cands, limits, rules, repair)
        best = best_value(kept, kept_limits, **kept_rules)
        assert best is not None, repair  # the oracle agrees: a bundle now fits
        assert repair.objective == pytest.approx(best, rel=1e-3, abs=1e-6)


def test_raise_gains_agree_with_the_budget_curve():
    # The LP relaxation says +10 % of y27 buys a tenth of "big"; the 0-1 problem says
    # nothing until "big" fits whole: +60 %.
    cands = [Candidate("small", 1.0, {"y27": 1.0}), Candidate("big", 20.0, {"y27": 8.0})]
    result = optimise_bundle(cands, {"y27": 5.0}, gap=0.0)
    assert result.gain_10pct["y27"] > 0  # the LP estimate
    gains = {round(r.step, 6): r for r in result.raises}
    assert sorted(gains) == [0.5, 4.0]  # +10 %, and what lets "big" in beside "small"
    assert gains[0.5].gain == 0.0
    assert (gains[4.0].gain, gains[4.0].added) == (pytest.approx(20.0), ("big",))
    curve = {p.scale: p.objective for p in budget_curve(cands, {"y27": 5.0})}
    assert curve[1.25] == curve[1.0]  # the curve says the same: +25 % adds nothing
    assert curve[2.0] == pytest.approx(21.0)
