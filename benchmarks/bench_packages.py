"""Benchmark of development levels and packages (one run, best of a few repeats).

Goal (issue 17): grouping 1,000 cities and composing a package for every group in
under 5 s. The data are synthetic (illustrative): 1,000 city profiles over 3 U4SSC
dimensions and 12 sectors drawn around four latent levels, 20 % of the values missing
(the shape of the ``usc seed --scale 1000`` set), KPI gaps per city derived from them,
and the real catalogue (seeds/solution_catalogue.csv: its KPI codes, central unit costs
taken as EUR 2024 for the timing only, lifetimes).

Peer, same matrix, same run: scikit-learn KMeans alone (mean-imputed, standardised,
k-means++ with n_init=10, at the number of groups chosen) - a bare clustering with no
choice of the number of groups, no missing-value handling, no stability, no packages.

With BENCH_DATABASE_URL set to a database seeded by ``usc seed --scale 1000``, the same
is also timed on that set through the web layer's services: the grouping job (profiles
loaded from the database, grouping, the grouping kept in the database), reading the
kept grouping back, and one package per level with the real catalogue costs and the
projects' benefit basis (ENPV, B/C); first with the profiles to load (cold), then from
the process cache (warm).

Run: .venv/bin/python benchmarks/bench_packages.py
     BENCH_DATABASE_URL=sqlite:////tmp/scale.sqlite3 .venv/bin/python benchmarks/bench_packages.py
"""

from __future__ import annotations

import csv
import os
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans

from appraisal.analysis.parameters import get_parameter_set
from appraisal.bundling.packages import Offer, compose_package
from matching.grouping import group_cities

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 3
CITIES = 1_000
FEATURES = [f"dimension {d}" for d in ("Economy", "Environment", "Society")] + [
    f"sector {i}" for i in range(12)
]
GOAL_SECONDS = 5.0


def best_time(fn):
    times, result = [], None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def catalogue() -> list[Offer]:
    offers = []
    with (ROOT / "seeds" / "solution_catalogue.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            codes = tuple(c.strip() for c in (row["kpi_codes"] or "").split(";") if c.strip())
            if not codes or not row["capex_per_unit_central"]:
                continue
            capex = float(row["capex_per_unit_central"])
            offers.append(
                Offer(
                    key=row["slug"],
                    name=row["solution"],
                    sector=row["sector"],
                    unit=row["unit_short"] or row["unit"],
                    kpi_codes=codes,
                    unit_capex=capex,
                    unit_opex=capex * 0.02,
                    lifetime_years=int(float(row["lifetime_years_filled"] or 20)),
                    per_inhabitant=1 / 1_000,
                    annual_benefit_per_unit=capex * 0.12,
                    co2_tonnes_per_unit=0.01,
                )
            )
    return offers


def synthetic(rng, offers):
    levels = rng.integers(0, 4, CITIES)
    centre = np.array([0.2, 0.4, 0.6, 0.85])[levels]
    matrix = np.clip(centre[:, None] + rng.normal(0, 0.08, (CITIES, len(FEATURES))), 0, 1)
    matrix[rng.random(matrix.shape) < 0.2] = np.nan
    profiles = {
        f"city {i}": {
            f: (None if np.isnan(v) else float(v)) for f, v in zip(FEATURES, row, strict=True)
        }
        for i, row in enumerate(matrix)
    }
    codes = sorted({c for o in offers for c in o.kpi_codes})
    gaps = {
        f"city {i}": {
            c: float(np.clip(1 - centre[i] + rng.normal(0, 0.1), 0, 1))
            for c in codes
            if rng.random() > 0.2
        }
        for i in range(CITIES)
    }
    populations = {f"city {i}": int(rng.integers(20_000, 3_000_000)) for i in range(CITIES)}
    return matrix, profiles, gaps, populations


def ours(profiles, gaps, populations, offers, params):
    grouping = group_cities(profiles)
    packages = [
        compose_package(
            {m: gaps[m] for m in group.members},
            [populations[m] for m in group.members],
            offers,
            params,
            currency="EUR",
            price_base_year=2024,
            start_year=2026,
        )
        for group in grouping.groups
    ]
    return grouping, packages


def peer(matrix, k):
    filled = np.where(np.isnan(matrix), np.nanmean(matrix, axis=0), matrix)
    standard = (filled - filled.mean(axis=0)) / filled.std(axis=0)
    return KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(standard)


def seeded(url: str) -> float:
    """Group the seeded cities and compose every level's package through the services."""
    from app import create_app
    from app.packages import service
    from app.packages.groups import city_levels, grouping_job

    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_ENGINES": {"default": url},
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )

    def run():
        grouping_job({}, lambda *_: None)  # group and keep (the job's own function)
        levels = city_levels()  # read back as the pages do
        offers, _ = service.catalogue_offers()
        packages = [service.compose_level(levels, g.level, offers) for g in levels.grouping.groups]
        return levels, packages

    with app.app_context():
        start = time.perf_counter()
        levels, packages = run()
        cold = time.perf_counter() - start
        warm, _ = best_time(run)
    grouping = levels.grouping
    print(
        f"\nseeded set ({url}): {len(grouping.level_of):,} cities grouped, "
        f"{len(grouping.unplaced)} unplaced"
    )
    print(f"groups: {len(grouping.groups)} ({grouping.criterion}); {grouping.stability_note}")
    lines = [line for p in packages for line in p.lines]
    appraised = sum(1 for line in lines if line.enpv is not None)
    print(
        f"packages: {len(packages)} with {len(lines)} solution lines, {appraised} with ENPV "
        "and B/C on the projects' benefit basis"
    )
    print(
        f"services, cold (profiles loaded from the database): {cold:.2f} s; "
        f"warm (profiles cached): {warm:.2f} s (goal < {GOAL_SECONDS:.0f} s)"
    )
    return cold


def main() -> int:
    rng = np.random.default_rng(17)
    offers = catalogue()
    matrix, profiles, gaps, populations = synthetic(rng, offers)
    params = get_parameter_set("EU 2014-2020")
    seconds, (grouping, packages) = best_time(
        lambda: ours(profiles, gaps, populations, offers, params)
    )
    k = len(grouping.groups)
    peer_seconds, _ = best_time(lambda: peer(matrix, k))
    lines = sum(len(p.lines) for p in packages)
    print(
        f"{CITIES:,} cities x {len(FEATURES)} features (20 % missing, synthetic), "
        f"{len(offers)} catalogue solutions"
    )
    print(f"groups: {k} ({grouping.criterion}); {grouping.stability_note}")
    scores = ", ".join(f"{n}: {v:.2f}" for n, v in grouping.silhouettes.items())
    print(f"silhouette by number of groups: {scores}")
    print(f"packages: {len(packages)} with {lines} solution lines in all")
    print(
        f"ours (group + stability + explain + compose and appraise): {seconds:.2f} s "
        f"(goal < {GOAL_SECONDS:.0f} s)"
    )
    print(f"peer (sklearn KMeans alone, n_init=10, k={k}): {peer_seconds:.2f} s")
    print(f"ratio ours / peer: {seconds / peer_seconds:.1f}x")
    cold = 0.0
    if os.environ.get("BENCH_DATABASE_URL"):
        cold = seeded(os.environ["BENCH_DATABASE_URL"])
    return 0 if max(seconds, cold) < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
