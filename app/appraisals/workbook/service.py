"""An appraisal run as an XLSX workbook with live formulas (issue 13).

Sheets: "Read me", "Inputs", "Cash flows", "Results" and "IRR start" (where each IRR
formula starts its iteration). The workbook recomputes
every figure of the run page from the run's inputs and yearly lines, and shows the
platform's value beside each; it asks spreadsheet programs for a full recalculation
on load (openpyxl writes formulas without cached values).

Who may download it: whoever may open the run page (staff, and the project's city);
see :func:`app.appraisals.service.get_run`.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from openpyxl import Workbook

from app.appraisals.service import get_run
from app.appraisals.workbook.flows import write_flows
from app.appraisals.workbook.inputs import write_inputs
from app.appraisals.workbook.irr_start import IRR_START, write_irr_start
from app.appraisals.workbook.method_columns import method_entries
from app.appraisals.workbook.plan_sheet import PlanLayout, plan_sections, write_plan
from app.appraisals.workbook.readme import write_readme
from app.appraisals.workbook.results import write_results
from app.appraisals.workbook.source import WorkbookSource
from app.models import AppraisalRun, User

__all__ = ["MIMETYPE", "build_workbook", "run_workbook", "source_of", "workbook_bytes"]

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def source_of(run: AppraisalRun) -> WorkbookSource:
    project = run.project
    return WorkbookSource(
        run_id=run.id,
        project_id=project.id,
        title=project.title,
        city=project.city.name,
        illustrative=bool(project.illustrative),
        created_at=run.created_at,
        engine_version=run.engine_version,
        inputs=run.inputs,
        results=run.results,
    )


def build_workbook(source: WorkbookSource, *, made: datetime | None = None) -> Workbook:
    """The workbook of a run (``made``: the time it says it was made, default now, UTC)."""
    made = made or datetime.now(UTC)
    book = Workbook()
    write_readme(book, source, made)
    write_inputs(book, source, made, method_entries(source))
    layout = write_flows(book, source)
    starts = write_irr_start(book, layout)
    plan = source.results.get("financing_plan")
    plan_layout = None
    if plan and "error" not in plan:
        plan_layout = PlanLayout(plan, layout)
        write_plan(book, plan_layout)
    write_results(book, source, layout, starts, plan_sections(plan, plan_layout))
    book.move_sheet(book[IRR_START], offset=1)  # after "Results", which it serves
    book.calculation.fullCalcOnLoad = True
    return book


def workbook_bytes(source: WorkbookSource, *, made: datetime | None = None) -> bytes:
    out = io.BytesIO()
    build_workbook(source, made=made).save(out)
    return out.getvalue()


def _file_name(source: WorkbookSource) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", source.title).strip("-").lower()[:60] or "project"
    return f"appraisal-run-{source.run_id}-{slug}.xlsx"


def run_workbook(user: User, project_id: int, run_id: int) -> tuple[str, bytes]:
    """The file name and bytes of a run's workbook, for whoever may see the run page."""
    source = source_of(get_run(user, project_id, run_id))
    return _file_name(source), workbook_bytes(source)
