"""Benchmark: re-appraising the whole scale-1000 pipeline (issue 16), in one run.

The set is the demo seed plus ``usc seed --scale 1000``: 20,026 projects, about 910,000
cash-flow lines. Printed side by side:

- the time of writing that set (``seed_scale(..., 1000)``, bulk inserts), the
  reference for what moving this much data through the database costs here;
- the time of re-appraising every project in one batch (``usc appraise --all``:
  reading the rows, the vectorised engine, writing the runs, audit entries and stage
  moves). Goal: under 30 s on this machine;
- the old path, one ``appraise_project`` per project (what ``usc appraise --missing``
  did), on a sample of projects, extrapolated to the whole set, and the ratio.

Wall and CPU seconds are both printed: the CPU time is the steadier figure when other
work shares the machine's two cores. Run with
``.venv/bin/python benchmarks/bench_appraise_all.py`` (SQLite in benchmarks/out) or
with ``--database-url postgresql+psycopg://...`` (its tables are dropped and rebuilt).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from app import create_app  # noqa: E402
from app.appraisals.pipeline import appraise_pipeline, summary_line  # noqa: E402
from app.appraisals.service import appraise_project  # noqa: E402
from app.core.extensions import db  # noqa: E402
from app.models import Base, Project  # noqa: E402
from app.seeding import seed_database  # noqa: E402
from app.seeding.runner import SEEDS  # noqa: E402
from app.seeding.scale import seed_scale  # noqa: E402

GOAL_SECONDS = 30.0
SCALE = 1000
SAMPLE = 300
SET = "EU 2014-2020"
PASSWORD = "bench-appraise-all-password"
OUT = ROOT / "benchmarks" / "out"


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--sample", type=int, default=SAMPLE)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    url = args.database_url or f"sqlite:///{OUT / 'appraise_all.sqlite3'}"
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_ENGINES": {"default": url}})
    with app.app_context():
        with db.engine.begin() as connection:
            Base.metadata.drop_all(connection)
        Base.metadata.create_all(db.engine)
        seed_database(demo=True, demo_password=PASSWORD)

        def write_set():
            report = seed_scale(SEEDS, SCALE)
            db.session.commit()
            return report

        report, seed_wall, seed_cpu = _timed(write_set)
        projects = db.session.scalar(sa.select(sa.func.count(Project.id)))
        result, wall, cpu = _timed(lambda: appraise_pipeline(SET))
        sample = list(
            db.session.scalars(sa.select(Project.id).order_by(Project.id).limit(args.sample))
        )

        def old_path():
            for pid in sample:
                appraise_project(None, pid, SET, seed=pid)

        _, old_wall, old_cpu = _timed(old_path)
    backend = url.split(":", 1)[0]
    per_old = old_wall / len(sample)
    print(f"database: {backend}; {projects:,} projects, {report.cash_flow_lines:,} lines written")
    print(f"write the set (seed --scale {SCALE}): {seed_wall:6.1f} s wall, {seed_cpu:6.1f} s CPU")
    print(f"re-appraise all (one batch):        {wall:6.1f} s wall, {cpu:6.1f} s CPU")
    print(f"  {summary_line(result)}")
    print(f"  {1e3 * wall / projects:.2f} ms a project; {wall / seed_wall:.2f} x the time to write")
    print(
        f"old path, {len(sample)} projects one by one: {old_wall:.1f} s wall, {old_cpu:.1f} s CPU "
        f"({1e3 * per_old:.1f} ms a project; {per_old * projects:.0f} s for the set)"
    )
    print(
        f"ratio old / batch: {per_old * projects / wall:.1f} x (wall), "
        f"{old_cpu / len(sample) * projects / cpu:.1f} x (CPU)"
    )
    met = wall < GOAL_SECONDS
    print(
        f"goal: under {GOAL_SECONDS:.0f} s: {'met' if met else 'MISSED'} ({wall:.1f} s wall, "
        f"{cpu:.1f} s CPU)"
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
