"""A project's data as an XLSX workbook that imports back (``usc import projects``).

Sheet "Project" holds the editable fields, one per row; sheet "Cash flows" one row per
year and one column per kind of line (money in the project's currency and price base,
CO2 in tonnes). Imported back, the project is found by its id; what differs is
changed, and the same workbook again changes nothing.
"""

from __future__ import annotations

import hashlib
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import selectinload

from app.core.audit import record
from app.core.errors import InvalidInput
from app.core.extensions import db
from app.core.fields import TextError, clean_text
from app.core.numbers import (
    COUNT,
    SIGNED_MONEY,
    YEAR,
    NumberError,
    db_id,
    read_number,
    read_whole,
)
from app.core.permissions import require_project_visible
from app.imports.kinds import ImportKind
from app.imports.tables import (
    CellRefused,
    FileRefused,
    Preview,
    Rejection,
    cell_text,
    check_size,
    open_workbook,
)
from app.models import DeliveryModel, FlowKind, Instrument, Project, User
from app.partner_profiles.taxonomy import unknown as unknown_capabilities
from app.projects.service import replace_lines

__all__ = ["PROJECTS", "project_workbook"]

MARK = "USC project workbook"
LISTS = ("needed_capabilities", "instruments_sought", "local_conditions", "risks")
FIELDS = (
    "title",
    "description",
    "delivery_model",
    "start_year",
    "horizon_years",
    "risk_level",
    "needs_other",
    *LISTS,
)
KINDS = tuple(FlowKind)


def _field_value(project: Project, name: str):
    value = getattr(project, name)
    if name in LISTS:
        return "; ".join(value or [])
    return getattr(value, "value", value)


def project_workbook(user: User, project_id: int) -> tuple[str, bytes]:
    """The file name and bytes of the project's workbook."""
    project = db.session.get(
        Project, project_id, options=[selectinload(Project.cash_flows), selectinload(Project.city)]
    )
    if project is None:
        raise InvalidInput(f"There is no project {project_id}.")
    require_project_visible(user, project)
    book = Workbook()
    sheet = book.active
    sheet.title = "Project"
    sheet.append([MARK, "edit the values in column B; lists are separated by ';'"])
    sheet.append(["id", project.id])
    sheet.append(["city", f"{project.city.name} (not editable here)"])
    sheet.append(["currency", f"{project.currency} (price base {project.price_base_year})"])
    for name in FIELDS:
        sheet.append([name, _field_value(project, name)])
    sheet["A1"].font = Font(bold=True)
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 22, 80
    flows = book.create_sheet("Cash flows")
    money = f"{project.currency}, {project.price_base_year} prices"
    flows.append(
        ["year"]
        + [
            f"{k.value} (tonnes)" if k is FlowKind.CO2_TONNES else f"{k.value} ({money})"
            for k in KINDS
        ]
    )
    cells = {(line.year, line.kind): float(line.amount) for line in project.cash_flows}
    for year in range(project.horizon_years):
        flows.append([year] + [cells.get((year, k)) for k in KINDS])
    out = io.BytesIO()
    book.save(out)
    return f"project-{project.id}.xlsx", out.getvalue()


def _fields(sheet) -> tuple[int, dict[str, tuple[int, str]]]:
    rows = {
        cell_text(r[0]): (line, cell_text(r[1]) if len(r) > 1 else "")
        for line, r in enumerate(sheet.iter_rows(values_only=True), start=1)
        if r and r[0]
    }
    try:
        project_id = db_id(rows["id"][1])
    except (KeyError, ValueError):
        raise FileRefused("The 'Project' sheet has no project id in B2: export it again.") from None
    return project_id, rows


def _checked(rows: dict, project: Project) -> dict:
    values = {}
    for name in FIELDS:
        line, text = rows.get(name, (0, None))
        if text is None:
            continue  # a field left out is left as it is
        try:
            text = clean_text(text, max_length=5000)
        except TextError as error:
            raise CellRefused(f"B{line} ({name})", str(error)) from None
        values[name] = _one(name, text, line)
    return values


def _one(name: str, text: str, line: int):
    where = f"B{line} ({name})"
    if name in LISTS:
        items = [item.strip() for item in text.split(";") if item.strip()]
        if name == "needed_capabilities" and unknown_capabilities(items):
            raise CellRefused(
                where, f"not capabilities of the list: {', '.join(unknown_capabilities(items))}"
            )
        if name == "instruments_sought" and set(items) - {i.value for i in Instrument}:
            raise CellRefused(
                where, "instruments are loan, equity, guarantee, grant, green_bond, mezzanine"
            )
        return items
    if name == "delivery_model":
        if text not in {d.value for d in DeliveryModel}:
            raise CellRefused(where, f"'{text}' is not public, ppp_availability or ppp_concession")
        return text
    if name in ("start_year", "horizon_years"):
        try:
            number = read_whole(text, COUNT if name == "horizon_years" else YEAR)
        except NumberError as error:
            raise CellRefused(where, str(error)) from None
        if number is None:
            raise CellRefused(where, "give a whole number")
        if name == "horizon_years" and not 2 <= number <= 60:
            raise CellRefused(where, "the horizon runs from 2 to 60 years")
        if name == "start_year" and not 1990 <= number <= 2100:
            raise CellRefused(where, "the start year runs from 1990 to 2100")
        return number
    if name == "risk_level" and text not in ("low", "medium", "high"):
        raise CellRefused(where, f"'{text}' is not low, medium or high")
    if name == "title" and not text:
        raise CellRefused(where, "the title is empty")
    return text or None


def _lines(sheet, horizon: int) -> list[tuple[int, FlowKind, float]]:
    rows = list(sheet.iter_rows(values_only=True))
    header = [cell_text(h).split(" (")[0] for h in rows[0]] if rows else []
    kinds = {i: FlowKind(h) for i, h in enumerate(header) if h in {k.value for k in KINDS}}
    lines = []
    for line, row in enumerate(rows[1:], start=2):
        if not row or row[0] is None:
            continue
        try:
            year = read_whole(cell_text(row[0]), COUNT)
        except NumberError:
            raise CellRefused(f"A{line} (year)", f"'{row[0]}' is not a year number") from None
        if not 0 <= year < horizon:
            raise CellRefused(
                f"A{line} (year)", f"year {year} is outside the horizon 0-{horizon - 1}"
            )
        for i, kind in kinds.items():
            text = cell_text(row[i]) if i < len(row) else ""
            if not text:
                continue
            try:
                amount = read_number(text, SIGNED_MONEY)
            except NumberError as error:
                raise CellRefused(f"row {line} ({kind.value})", str(error)) from None
            lines.append((year, kind, float(amount)))
    return lines


def preview_projects(filename: str, content: bytes) -> tuple[Preview, str]:
    preview = Preview()
    try:
        check_size(filename, content)
        book = open_workbook(content)
        if "Project" not in book.sheetnames or cell_text(book["Project"]["A1"].value) != MARK:
            raise FileRefused("This is not a project workbook: download one from a project's page.")
        project_id, rows = _fields(book["Project"])
        project = db.session.get(Project, project_id, options=[selectinload(Project.cash_flows)])
        if project is None:
            raise FileRefused(f"There is no project {project_id} on the platform.")
        try:
            values = _checked(rows, project)
            horizon = values.get("horizon_years", project.horizon_years)
            lines = _lines(book["Cash flows"], horizon) if "Cash flows" in book.sheetnames else None
        except CellRefused as refused:
            preview.rejected.append(Rejection(0, refused.column, refused.reason, project.title))
            return preview, "xlsx"
    except FileRefused as error:
        raise InvalidInput(str(error)) from None
    before = {name: getattr(project, name) for name in values}
    before = {
        k: (getattr(v, "value", v) if k not in LISTS else list(v or [])) for k, v in before.items()
    }
    stored_lines = sorted(
        (c.year, c.kind.value, round(float(c.amount), 2)) for c in project.cash_flows
    )
    new_lines = (
        sorted((y, k.value, round(a, 2)) for y, k, a in lines if round(a, 2))
        if lines is not None
        else stored_lines
    )
    changed = {k: v for k, v in values.items() if before.get(k) != v}
    item = {
        "id": project.id,
        "title": project.title,
        "fields": changed,
        "lines": None if new_lines == stored_lines else lines,
        "version": project.version,
    }
    if changed or item["lines"] is not None:
        diff = {k: before[k] for k in changed}
        if item["lines"] is not None:
            diff["cash flows"] = f"{len(stored_lines)} lines"
        preview.changed.append((item, diff))
    else:
        preview.unchanged.append(item)
    return preview, "xlsx"


def _summary(preview: Preview) -> dict:
    def changed(item, before) -> dict:
        after = dict(item["fields"])
        if item["lines"] is not None:
            after["cash flows"] = f"{len([c for c in item['lines'] if c[2]])} lines"
        return {
            "line": item["id"],
            "what": item["title"],
            "before": str(before),
            "after": str(after),
            "source": None,
            "detail": "",
        }

    return {
        "counts": preview.counts(),
        "subjects": [],
        "subject_label": "Projects",
        "rejected": [
            {"line": r.line, "column": r.column, "reason": r.reason, "row": r.row}
            for r in preview.rejected
        ],
        "changed": [changed(i, b) for i, b in preview.changed],
        "new": [],
        "unchanged": [
            {
                "line": i["id"],
                "what": i["title"],
                "before": None,
                "after": "as stored",
                "source": None,
                "detail": "",
            }
            for i in preview.unchanged
        ],
    }


def _digest(preview: Preview) -> str:
    text = repr(
        [
            (i["id"], i["version"], sorted(i["fields"].items()), i["lines"])
            for i, _ in preview.changed
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _apply(preview: Preview, *, user_id, via: str, import_id=None) -> int:
    written = 0
    for item, before in preview.changed:
        project = db.session.get(Project, item["id"], options=[selectinload(Project.cash_flows)])
        for name, value in item["fields"].items():
            setattr(project, name, DeliveryModel(value) if name == "delivery_model" else value)
        if item["lines"] is not None:
            replace_lines(project, item["lines"])
        record(
            "update", "project", project.id, {"via": via, "before": str(before)}, user_id=user_id
        )
        written += 1
    db.session.flush()
    return written


PROJECTS = ImportKind(
    name="projects",
    title="A project's workbook (exported from its page)",
    formats="the XLSX a project's page downloads (sheets 'Project' and 'Cash flows'), edited",
    preview=preview_projects,
    summary=_summary,
    digest=_digest,
    apply=_apply,
)
