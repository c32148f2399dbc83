"""Bundle optimiser against HiGHS called directly, in one run.

Instances of 1,000, 10,000 and 30,000 candidates with 17 limits (5 yearly capex
budgets and 12 sector caps on total capex) and 100 requirement / exclusion pairs.
Values are strongly correlated with cost (ENPV ~ 0.25 x capex with noise), the hard
case for a knapsack. Both sides use a relative gap of 1e-4.

Reference: highspy's Highs API building the same MIP from numpy arrays, with and
without presolve; the faster counts. Ours: ``optimise_bundle(..., explain=False)``
timed whole (input checks + PuLP model + solver), with the model build and the solve
also shown apart; the explanation (LP relaxation and +10 % re-solves) is timed on its
own.

Goals: 10,000 candidates within 1.5x of HiGHS direct, model building included, and
objective within 0.1 %; 30,000 candidates under 10 s.

Run: ``.venv/bin/python benchmarks/bench_bundles.py`` (about a minute and a half).
With ``--choice`` it instead times both solvers through ``optimise_bundle`` on three
seeds per size: the measurements behind ``solver=None`` (about eight minutes).
"""

from __future__ import annotations

import sys
import time

import highspy
import numpy as np

from appraisal.bundles import Candidate, SectorRule, optimise_bundle

SECTORS = (
    "Financial Institutions", "Energy", "Urban Mobility", "Renewable Energy",
    "Information & Communication Technologies", "Urban Development Service", "E-Mobility",
    "Safety and Security", "Recycling and Waste Management", "Infrastructure Construction",
    "Health Infrastructure", "Green Housing and Facility Technologies",
)  # fmt: skip
YEARS = tuple(f"capex_{y}" for y in range(2027, 2032))
GAP = 1e-4
TIME_LIMIT = 60.0


def instance(n: int, seed: int = 0) -> dict:
    """Arrays of one instance: capex per year, sector, value, limits, pairs."""
    rng = np.random.default_rng(seed)
    sector = rng.integers(0, len(SECTORS), n)
    total = rng.lognormal(1.0, 0.8, n)
    start, length = rng.integers(0, 5, n), rng.integers(1, 4, n)
    span = np.minimum(length, 5 - start)
    capex = np.zeros((5, n))
    for t in range(5):
        capex[t] = np.where((t >= start) & (t < start + span), total / span, 0.0)
    pairs = rng.choice(n, size=(100, 2), replace=False)  # distinct ids: no cycles
    return {
        "sector": sector,
        "total": total,
        "capex": capex,
        "value": total * rng.normal(0.25, 0.3, n),
        "budgets": capex.sum(axis=1) * 0.3,
        "caps": np.array([total[sector == s].sum() for s in range(len(SECTORS))]) * 0.4,
        "requires": pairs[:50],  # (b, a): b requires a
        "excludes": pairs[50:],
    }


def candidates(inst: dict) -> tuple[list[Candidate], dict, dict]:
    n = len(inst["value"])
    requires: dict[int, list[str]] = {}
    for b, a in inst["requires"]:
        requires.setdefault(int(b), []).append(f"p{a}")
    excludes: dict[int, list[str]] = {}
    for a, b in inst["excludes"]:
        excludes.setdefault(int(a), []).append(f"p{b}")
    capex = inst["capex"]
    cands = []
    for i in range(n):
        costs = {YEARS[t]: float(capex[t, i]) for t in range(5) if capex[t, i]}
        costs["capex_total"] = float(inst["total"][i])
        cands.append(
            Candidate(f"p{i}", float(inst["value"][i]), costs, sector=SECTORS[inst["sector"][i]],
                      requires=requires.get(i, ()), excludes=excludes.get(i, ()))
        )  # fmt: skip
    limits = {y: float(b) for y, b in zip(YEARS, inst["budgets"], strict=True)}
    caps = {
        s: SectorRule(float(c), "capex_total") for s, c in zip(SECTORS, inst["caps"], strict=True)
    }
    return cands, limits, caps


def highs_direct(inst: dict, *, presolve: bool) -> tuple[float, float]:
    """(seconds including the build from arrays, objective) with highspy alone."""
    t0 = time.perf_counter()
    n = len(inst["value"])
    rows = [np.flatnonzero(inst["capex"][t]) for t in range(5)]
    coefs = [inst["capex"][t][r] for t, r in enumerate(rows)]
    for s in range(len(SECTORS)):
        members = np.flatnonzero(inst["sector"] == s)
        rows.append(members)
        coefs.append(inst["total"][members])
    upper = list(inst["budgets"]) + list(inst["caps"])
    for b, a in inst["requires"]:
        rows.append(np.array([b, a]))
        coefs.append(np.array([1.0, -1.0]))
        upper.append(0.0)
    for a, b in inst["excludes"]:
        rows.append(np.array([a, b]))
        coefs.append(np.array([1.0, 1.0]))
        upper.append(1.0)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("presolve", "on" if presolve else "off")
    h.setOptionValue("mip_rel_gap", GAP)
    h.setOptionValue("time_limit", TIME_LIMIT)
    every = np.arange(n, dtype=np.int32)
    h.addVars(n, np.zeros(n), np.ones(n))
    h.changeColsCost(n, every, -inst["value"])
    h.changeColsIntegrality(n, every, np.full(n, highspy.HighsVarType.kInteger))
    starts = np.cumsum([0] + [len(r) for r in rows[:-1]]).astype(np.int32)
    index = np.concatenate(rows).astype(np.int32)
    h.addRows(len(rows), np.full(len(rows), -highspy.kHighsInf), np.array(upper), len(index),
              starts, index, np.concatenate(coefs))  # fmt: skip
    h.run()
    return time.perf_counter() - t0, -h.getInfo().objective_function_value


def best_of(repeats: int, run):
    results = [run() for _ in range(repeats)]
    return min(results, key=lambda r: r[0])


def main() -> None:
    goals = []
    print(f"{'n':>6} {'HiGHS on':>9} {'HiGHS off':>9} {'ours':>7} {'model':>6} {'solve':>6} "
          f"{'solver':>6} {'ratio':>6} {'obj diff':>9} {'status':>9} {'explain':>8}")  # fmt: skip
    for n, repeats in ((1_000, 1), (10_000, 3), (30_000, 2)):
        inst = instance(n)
        cands, limits, caps = candidates(inst)
        ref_on = best_of(
            1 if n != 10_000 else 2, lambda inst=inst: highs_direct(inst, presolve=True)
        )
        ref_off = best_of(1, lambda inst=inst: highs_direct(inst, presolve=False))
        ref_time, ref_obj = min(ref_on, ref_off)

        def ours(cands=cands, limits=limits, caps=caps):
            t0 = time.perf_counter()
            res = optimise_bundle(cands, limits, sector_max=caps, gap=GAP,
                                  time_limit=TIME_LIMIT, explain=False)  # fmt: skip
            return time.perf_counter() - t0, res

        took, res = best_of(repeats, ours)
        explained = optimise_bundle(cands, limits, sector_max=caps, gap=GAP, time_limit=TIME_LIMIT)
        explain_s = explained.seconds["explain"]
        ratio = took / ref_time
        diff = (ref_obj - res.objective) / abs(ref_obj)
        print(f"{n:>6} {ref_on[0]:>8.2f}s {ref_off[0]:>8.2f}s {took:>6.2f}s "
              f"{res.seconds['model']:>5.2f}s {res.seconds['solve']:>5.2f}s {res.solver:>6} "
              f"{ratio:>5.2f}x {diff:>9.2e} {res.status:>9} {explain_s:>7.2f}s")  # fmt: skip
        if n == 10_000:
            goals.append(("10,000 within 1.5x of HiGHS direct", ratio <= 1.5, f"{ratio:.2f}x"))
            goals.append(("10,000 objective within 0.1 %", diff <= 1e-3, f"{diff:.2e}"))
        if n == 30_000:
            goals.append(("30,000 under 10 s", took < 10.0, f"{took:.2f} s"))
    print("\n(ratio = ours / faster HiGHS direct; obj diff = (HiGHS - ours) / HiGHS, "
          "negative means ours is better)")  # fmt: skip
    for name, ok, figure in goals:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {figure}")


def choice() -> None:
    """Seconds per solver and seed: the table in appraisal/bundles.py's notes."""
    print(f"{'n':>6} {'seed':>4} {'HiGHS':>8} {'CBC':>8} {'objective diff':>15}")
    for n in (300, 1_000, 2_000, 5_000, 10_000):
        for seed in (0, 1, 2):
            cands, limits, caps = candidates(instance(n, seed))
            row = {}
            for solver in ("highs", "cbc"):
                t0 = time.perf_counter()
                res = optimise_bundle(cands, limits, sector_max=caps, gap=GAP, solver=solver,
                                      time_limit=30.0, explain=False)  # fmt: skip
                row[solver] = (time.perf_counter() - t0, res.objective, res.status)
            diff = (row["highs"][1] - row["cbc"][1]) / abs(row["highs"][1])
            print(f"{n:>6} {seed:>4} {row['highs'][0]:>7.2f}s {row['cbc'][0]:>7.2f}s {diff:>15.2e}"
                  f"  {row['highs'][2]}/{row['cbc'][2]}")  # fmt: skip


if __name__ == "__main__":
    if "--choice" in sys.argv:
        choice()
    else:
        main()
