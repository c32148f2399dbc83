"""Benchmark: importing KPI values, and the profile page with ten years of them.

Goals (issue 11), on this 2-core machine:

- importing 91,000 values (1,000 cities x 91 KPIs) from CSV takes under 30 s,
  preview included (read, check every row, compare with what is stored, write the
  values and their history in one transaction);
- the profile page stays under its time with 10 years of values per KPI.

The peer is the floor of any importer: pandas reading the same CSV and inserting
its rows unchecked with one executemany. Run with ``.venv/bin/python
benchmarks/bench_import.py`` (SQLite in benchmarks/out; ``--database-url`` for
PostgreSQL).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from sqlalchemy import delete, func, insert, select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.cities.profiles import city_profile  # noqa: E402
from app.core.extensions import db  # noqa: E402
from app.kpidata.importing import preview_bytes  # noqa: E402
from app.kpidata.recording import apply  # noqa: E402
from app.models import Base, City, Country, Kpi, KpiValue, KpiValueChange, User  # noqa: E402
from app.seeding import seed_database  # noqa: E402

CITIES = 1_000
GOAL_SECONDS = 30.0
YEARS = 10
OUT = ROOT / "benchmarks" / "out"


def _app(url: str):
    return create_app({"SECRET_KEY": "bench", "SQLALCHEMY_ENGINES": {"default": url}})


def _fresh(url: str) -> None:
    with db.engine.begin() as connection:
        Base.metadata.drop_all(connection)
    Base.metadata.create_all(db.engine)
    seed_database()
    swiss = db.session.scalar(select(Country).where(Country.iso2 == "CH"))
    db.session.execute(
        insert(City),
        [
            {
                "slug": f"bench-{i:04d}-ch",
                "name": f"Bench {i:04d}",
                "country_id": swiss.id,
                "illustrative": True,
            }
            for i in range(CITIES)
        ],  # fmt: skip
    )
    db.session.commit()


def _csv(year: int) -> bytes:
    """91,000 rows in the long format: 1,000 cities x the 91 headline KPIs."""
    kpis = db.session.execute(select(Kpi.code, Kpi.unit, Kpi.direction)).all()
    lines = ["city,country,year,kpi_code,data_point,value,unit,source,note"]
    for i in range(CITIES):
        for j, (code, unit, direction) in enumerate(kpis):
            value = f"{(i * 7 + j * 13) % 97 + 0.5}"
            if direction.value == "boolean":
                value = "yes"
            elif (unit or "").startswith("coefficient"):
                value = f"{float(value) / 100:.3f}"
            unit_text = (unit or "").replace(",", "").split("(")[0].strip()
            row = f"Bench {i:04d},CH,{year},{code},,{value},{unit_text},bench (illustrative),"
            lines.append(row)
    return ("\n".join(lines) + "\n").encode()


def _ours(content: bytes) -> tuple[float, float, int]:
    started = time.perf_counter()
    preview, _ = preview_bytes("bench.csv", content)
    previewed = time.perf_counter()
    assert not preview.rejected, preview.rejected[:3]
    written = apply(preview, user_id=None, via="bench")
    db.session.commit()
    return previewed - started, time.perf_counter() - started, written


def _peer(content: bytes) -> float:
    """pandas read_csv plus one unchecked executemany into a scratch table."""
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS bench_peer"))
        connection.execute(
            text(
                "CREATE TABLE bench_peer (city TEXT, country TEXT, year INTEGER, kpi_code TEXT,"
                " data_point TEXT, value TEXT, unit TEXT, source TEXT, note TEXT)"
            )
        )
    started = time.perf_counter()
    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    rows = frame.to_dict("records")
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO bench_peer VALUES (:city, :country, :year, :kpi_code, :data_point,"
                " :value, :unit, :source, :note)"
            ),
            rows,
        )
    return time.perf_counter() - started


def _profile_seconds(user: User, city_id: int, repeats: int = 15) -> float:
    times = []
    for _ in range(repeats):
        db.session.expire_all()
        started = time.perf_counter()
        city_profile(user, city_id)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _ten_years(city_id: int, first_year: int) -> int:
    """Copy the city's values into 9 earlier years (10 in all), unchecked, for timing."""
    rows = db.session.execute(
        select(KpiValue.kpi_id, KpiValue.data_point, KpiValue.value, KpiValue.unit).where(
            KpiValue.city_id == city_id
        )
    ).all()
    extra = [
        {"city_id": city_id, "kpi_id": k, "data_point": p, "year": first_year - back,
         "value": v * (1 - back / 50), "unit": u, "illustrative": True}
        for back in range(1, YEARS)
        for k, p, v, u in rows
    ]  # fmt: skip
    db.session.execute(insert(KpiValue), extra)
    db.session.commit()
    return len(rows) + len(extra)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    url = args.database_url or f"sqlite:///{OUT / 'bench_import.sqlite3'}"
    app = _app(url)
    with app.app_context():
        print(f"database: {db.engine.url.render_as_string(hide_password=True)}")
        _fresh(url)
        year = 2025
        content = _csv(year)
        size = len(content) / 1e6
        print(f"file: {size:.1f} MB, {CITIES * 91:,} values ({CITIES:,} cities x 91 KPIs)")
        peer = _peer(content)
        preview_s, total_s, written = _ours(content)
        again_preview, again_total, again_written = _ours(content)
        changes = db.session.scalar(select(func.count()).select_from(KpiValueChange))
        for step, seconds, note in (
            ("ours: preview (read, check, compare)", preview_s, ""),
            ("ours: preview + commit (values + history)", total_s, f"{written:,} written"),
            ("ours: the same file again", again_total, f"{again_written:,} written"),
            ("peer: pandas read_csv + executemany", peer, "unchecked, no history"),
        ):
            print(f"{step:<44}{seconds:>8.2f} s   {note}")
        print(f"ratio ours/peer: {total_s / peer:.1f}x")
        verdict = "met" if total_s < GOAL_SECONDS else "MISSED"
        print(f"goal: under {GOAL_SECONDS:.0f} s with the preview: {verdict} ({total_s:.1f} s)")
        assert written == CITIES * 91 and again_written == 0 and changes - 74 == written

        staff = User(email="bench@example.org", password_hash="x", role="staff")
        db.session.add(staff)
        db.session.commit()
        city_id = db.session.scalar(select(City.id).where(City.slug == "bench-0000-ch"))
        one_year = _profile_seconds(staff, city_id)
        values = _ten_years(city_id, year)
        ten_years = _profile_seconds(staff, city_id)
        print(f"profile service, 1 year of values (91): {one_year * 1000:.1f} ms (median)")
        print(f"profile service, {YEARS} years ({values:,} values): {ten_years * 1000:.1f} ms")
        print(f"ratio 10 years / 1 year: {ten_years / one_year:.2f}x")
        earlier = delete(KpiValue).where(KpiValue.city_id == city_id, KpiValue.year < year)
        db.session.execute(earlier)
        db.session.execute(text("DROP TABLE IF EXISTS bench_peer"))
        db.session.commit()
    return 0 if total_s < GOAL_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
