"""A project's yearly cash-flow table: shown on its page, edited and rebuilt by staff.

Rows are the years of the horizon (year 0 = the start year), columns the flow kinds;
amounts are in the project's currency and price base, CO2 in tonnes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import selectinload

from app.cities.gaps import city_gaps
from app.core.audit import record
from app.core.concurrency import check_version, commit_versioned
from app.core.errors import NotFound
from app.core.extensions import db
from app.core.numbers import SIGNED_MONEY
from app.core.permissions import require_project_visible, require_staff
from app.models import City, FlowKind, PriceBasis, Project, Stage, User
from app.models.base import utcnow
from app.projects.pipeline import advance_blocker, next_stage
from app.projects.service import FieldError, rebuild_lines, replace_lines

__all__ = [
    "KIND_LABELS",
    "SIGNED_KINDS",
    "FlowTable",
    "ProjectPage",
    "cash_flow_editor",
    "cell_name",
    "price_basis_label",
    "project_page",
    "rebuild_cash_flows",
    "save_cash_flows",
]

KIND_LABELS = {
    FlowKind.CAPEX: "Capex",
    FlowKind.REPLACEMENT: "Replacements",
    FlowKind.OPEX_FIXED: "Fixed opex",
    FlowKind.OPEX_VARIABLE: "Variable opex",
    FlowKind.REVENUE: "Revenue",
    FlowKind.RESIDUAL_VALUE: "Residual value",
    FlowKind.ECONOMIC_BENEFIT: "Economic benefits",
    FlowKind.EXTERNALITY: "Externalities (+ benefit, - cost)",
    FlowKind.CO2_TONNES: "CO2 avoided (tonnes)",
}
#: Kinds whose sign carries meaning: an external cost, extra emissions. Every other kind
#: is an amount of money that is a cost or an income by its kind, so never negative.
SIGNED_KINDS = frozenset({FlowKind.EXTERNALITY, FlowKind.CO2_TONNES})


def price_basis_label(project: Project) -> str:
    """'EUR, constant 2024 prices' or 'EUR, current prices (price base 2024)'."""
    if project.price_basis is PriceBasis.REAL:
        return f"{project.currency}, constant {project.price_base_year} prices"
    return f"{project.currency}, current prices (nominal, price base {project.price_base_year})"


def cell_name(year: int, kind: FlowKind | str) -> str:
    """The form field of one cell of the table."""
    return f"y{year}_{FlowKind(kind).value}"


@dataclass(frozen=True)
class FlowTable:
    """The table of a project: ``cells[(year, kind)]`` with year 0 the start year."""

    start_year: int
    horizon_years: int
    cells: dict[tuple[int, FlowKind], Decimal]
    basis: str

    @property
    def years(self) -> list[tuple[int, int]]:
        """(year offset, calendar year) of every row."""
        return [(y, self.start_year + y) for y in range(self.horizon_years)]

    @property
    def kinds_used(self) -> list[FlowKind]:
        used = {kind for _, kind in self.cells}
        return [kind for kind in FlowKind if kind in used]

    def totals(self) -> dict[FlowKind, Decimal]:
        sums: dict[FlowKind, Decimal] = {}
        for (_, kind), amount in self.cells.items():
            sums[kind] = sums.get(kind, Decimal("0")) + amount
        return sums


def _table(project: Project) -> FlowTable:
    return FlowTable(
        start_year=project.start_year,
        horizon_years=project.horizon_years,
        cells={(line.year, line.kind): line.amount for line in project.cash_flows},
        basis=price_basis_label(project),
    )


@dataclass(frozen=True)
class ProjectPage:
    project: Project
    kpis: list[dict]
    table: FlowTable
    next_stage: Stage | None
    blocker: str | None = None  # why it cannot move to the next stage yet


def _load(project_id: int) -> Project:
    project = db.session.get(
        Project,
        project_id,
        options=[
            selectinload(Project.city).selectinload(City.country),
            selectinload(Project.sector),
            selectinload(Project.template),
            selectinload(Project.kpis),
            selectinload(Project.cash_flows),
        ],
    )
    if project is None:
        raise NotFound(f"There is no project {project_id}.")
    return project


def project_page(user: User, project_id: int) -> ProjectPage:
    """What the project page shows to ``user``: facts, KPIs with the city's gaps, flows."""
    project = require_project_visible(user, _load(project_id))
    kpis = []
    if project.kpis:
        assessed = city_gaps(project.city_id).kpis
        rows = {row["kpi_id"]: row for row in assessed.to_dict("records")}
        for kpi in sorted(project.kpis, key=lambda k: k.code):
            row = rows.get(kpi.id, {})
            kpis.append({"kpi": kpi} | {k: _clean(row.get(k)) for k in _GAP_KEYS})
    return ProjectPage(
        project, kpis, _table(project), next_stage(project.stage), advance_blocker(project)
    )


_GAP_KEYS = ("value", "value_year", "target", "target_year", "attainment", "band", "gap", "reason")


def _clean(value):
    return None if isinstance(value, float) and value != value else value


def cash_flow_editor(user: User, project_id: int) -> tuple[Project, FlowTable]:
    require_staff(user)
    project = _load(project_id)
    return project, _table(project)


def save_cash_flows(
    user: User,
    project_id: int,
    submitted_version: int | None,
    cells: dict[tuple[int, FlowKind], Decimal | None],
) -> Project:
    """Replace the whole table with ``cells`` (blank or zero: no line), atomically.

    Raises FieldError naming the cell (year and kind) of an amount that may not be
    negative, or of a year outside the horizon; Conflict when the project was saved
    by someone else since ``submitted_version``.
    """
    require_staff(user)
    project = _load(project_id)
    check_version(project, submitted_version, "project")
    for (year, kind), amount in sorted(cells.items()):
        where = f"Year {project.start_year + year} (year {year}), {KIND_LABELS[kind]}"
        if not 0 <= year < project.horizon_years:
            raise FieldError(cell_name(year, kind), f"{where} is outside the project's horizon.")
        if amount is not None and not SIGNED_MONEY.low <= amount <= SIGNED_MONEY.high:
            raise FieldError(
                cell_name(year, kind),
                f"{where}: {amount} is out of range; amounts are up to 10^15 in the "
                "project's currency.",
            )
        if amount is not None and amount < 0 and kind not in SIGNED_KINDS:
            raise FieldError(
                cell_name(year, kind),
                f"{where}: {amount} is negative; enter amounts as positive numbers "
                "(the kind says whether it is a cost or an income).",
            )
    before = {(line.year, line.kind): line.amount for line in project.cash_flows}
    replace_lines(project, [(y, k, float(a)) for (y, k), a in cells.items() if a])
    after = {(line.year, line.kind): line.amount for line in project.cash_flows}
    changed = sorted(
        f"{cell_name(*key)}: {before.get(key)} -> {after.get(key)}"
        for key in before.keys() | after.keys()
        if before.get(key) != after.get(key)
    )
    project.updated_at = utcnow()  # bumps the version even when only lines changed
    record("update_cash_flows", "project", project.id, {"cells": changed}, user_id=user.id)
    commit_versioned("project")
    return project


def rebuild_cash_flows(user: User, project_id: int, submitted_version: int | None) -> Project:
    """Rebuild the table from the project's catalogue solution and economic inputs."""
    require_staff(user)
    project = _load(project_id)
    check_version(project, submitted_version, "project")
    replace_lines(project, rebuild_lines(project))
    project.updated_at = utcnow()
    record(
        "rebuild_cash_flows",
        "project",
        project.id,
        {"template_id": project.template_id, "quantity": project.scale_quantity},
        user_id=user.id,
    )
    commit_versioned("project")
    return project
