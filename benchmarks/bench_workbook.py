"""Benchmark: an appraisal run as an XLSX workbook with live formulas (issue 13).

Goal: under 1 s per workbook of a 30-year run on this 2-core machine, built and saved
(what a request to /projects/<id>/runs/<run_id>.xlsx pays after reading the run).

The peer is the floor of any openpyxl workbook: the same cells (same sheets, same
coordinates) written as plain numbers, with no formula, number format, style, defined
name or column width, and saved the same way. The ratio says what the formulas, formats
and layout cost on top of openpyxl itself.

The runs are illustrative (a public project and an availability-payment PPP, EUR,
constant 2024 prices), appraised by the engine from a snapshot made as the platform
makes one; no database is needed. Run with ``.venv/bin/python benchmarks/bench_workbook.py``.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from app.appraisals.inputs import snapshot  # noqa: E402
from app.appraisals.results import compute_results  # noqa: E402
from app.appraisals.workbook.service import build_workbook, workbook_bytes  # noqa: E402
from app.appraisals.workbook.source import WorkbookSource  # noqa: E402
from app.models import CashFlowLine, DeliveryModel, FlowKind, PriceBasis, Project  # noqa: E402

HORIZON = 30
GOAL_SECONDS = 1.0
REPEATS = 15


def _project(delivery_model: DeliveryModel) -> Project:
    """A 30-year project, not stored: two construction years, then operation."""
    project = Project(
        title=f"Illustrative district heating ({delivery_model.value})",
        currency="EUR",
        price_base_year=2024,
        price_basis=PriceBasis.REAL,
        start_year=2027,
        horizon_years=HORIZON,
        delivery_model=delivery_model,
        assumptions={"economic": {"labour_share_of_opex": 0.35}},
    )
    lines = [(0, FlowKind.CAPEX, 6e6), (1, FlowKind.CAPEX, 4e6)]
    for year in range(2, HORIZON):
        growth = 1.01 ** (year - 2)
        lines += [
            (year, FlowKind.OPEX_FIXED, 180_000.0),
            (year, FlowKind.OPEX_VARIABLE, 40_000.0 * growth),
            (year, FlowKind.REVENUE, 420_000.0 * growth),
            (year, FlowKind.ECONOMIC_BENEFIT, 650_000.0 * growth),
            (year, FlowKind.EXTERNALITY, -15_000.0),
            (year, FlowKind.CO2_TONNES, 2_400.0),
        ]
    lines += [(17, FlowKind.REPLACEMENT, 150_000.0), (HORIZON - 1, FlowKind.RESIDUAL_VALUE, 1.5e6)]
    project.cash_flows = [
        CashFlowLine(year=year, kind=kind, amount=Decimal(f"{amount:.2f}"))
        for year, kind, amount in lines
    ]
    return project


def _source(delivery_model: DeliveryModel) -> WorkbookSource:
    project = _project(delivery_model)
    snap = snapshot(project, parameter_set="EU 2014-2020", seed=1)
    results = compute_results(snap)
    if delivery_model is not DeliveryModel.PUBLIC:
        assert "error" not in results["ppp"], results["ppp"]
    return WorkbookSource(
        run_id=1,
        project_id=1,
        title=project.title,
        city="Illustrative city",
        illustrative=True,
        created_at=datetime.now(UTC),
        engine_version="bench",
        inputs=snap,
        results=results,
    )


def _peer(shape: dict[str, list[tuple[int, int]]]) -> bytes:
    """The floor: the same cells as plain numbers, nothing else."""
    book = Workbook()
    book.remove(book.active)
    for title, cells in shape.items():
        sheet = book.create_sheet(title)
        for row, column in cells:
            sheet.cell(row, column, 1.5)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _median(work, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    print(f"\n== Appraisal run as an XLSX workbook: {HORIZON}-year runs, median of {REPEATS} ==")
    ok = True
    for model in (DeliveryModel.PUBLIC, DeliveryModel.PPP_AVAILABILITY):
        source = _source(model)
        book = build_workbook(source)
        shape = {s.title: list(s._cells) for s in book.worksheets}
        formulas = sum(
            isinstance(c.value, str) and c.value.startswith("=")
            for s in book.worksheets
            for c in s._cells.values()
        )
        cells = sum(len(v) for v in shape.values())
        ours = _median(lambda source=source: workbook_bytes(source))
        floor = _median(lambda shape=shape: _peer(shape))
        size = len(workbook_bytes(source))
        print(
            f"   {model.value:17s} {cells:6,} cells ({formulas:,} formulas, {size / 1024:.0f} KiB):"
            f" workbook {ours * 1000:6.1f} ms, peer (plain openpyxl) {floor * 1000:6.1f} ms,"
            f" ratio {ours / floor:4.2f}"
        )
        ok &= ours < GOAL_SECONDS
    print(f"   goal: under {GOAL_SECONDS:.0f} s per workbook: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
