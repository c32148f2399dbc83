"""Formulating and changing projects: staff edits with version checks and an audit trail.

A project is created from the form's input (optionally from a catalogue solution
scaled to the city, whose costs come from app.projects.flows) together with
its yearly cash-flow lines, in one transaction. What the form offers is in
app.projects.choices; the cash-flow table is read and saved by
app.projects.cashflows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.audit import record
from app.core.concurrency import (
    add_once,
    check_version,
    commit_versioned,
    created_before,
    saving,
)
from app.core.errors import InvalidInput, NotFound
from app.core.extensions import db
from app.core.permissions import require_staff
from app.models import (
    CashFlowLine,
    City,
    DeliveryModel,
    FlowKind,
    Instrument,
    Kpi,
    PriceBasis,
    Project,
    ProjectTemplate,
    Sector,
    Stage,
    User,
)
from app.partner_profiles.taxonomy import unknown as unknown_capabilities
from app.projects.flows import flow_lines, scale_template
from appraisal.analysis.world_prices import available_currencies
from appraisal.errors import AppraisalError, CurrencyDataError, PriceBaseError

__all__ = [
    "EDITABLE",
    "FieldError",
    "ProjectInput",
    "create_project",
    "edit_project",
    "get_project_for_edit",
    "rebuild_lines",
    "replace_lines",
    "update_project",
]

EDITABLE = {
    "title",
    "description",
    "delivery_model",
    "horizon_years",
    "start_year",
    "risks",
    "local_conditions",
    "needed_capabilities",
    "needs_other",
    "instruments_sought",
    "risk_level",
}
# What the input of the economic part of the form is kept as, so an edit shows it again
# and "rebuild from template" can use it.
ECONOMIC_INPUTS = (
    "annual_revenue",
    "annual_economic_benefit",
    "co2_tonnes_per_year",
    "labour_share_of_opex",
)
# The columns the edit form sets as typed (template and KPIs are set as relations).
_EDIT_FORM_FIELDS = (
    "city_id",
    "sector_id",
    "scale_quantity",
    "title",
    "description",
    "delivery_model",
    "currency",
    "price_base_year",
    "price_basis",
    "start_year",
    "horizon_years",
    "needed_capabilities",
    "needs_other",
    "instruments_sought",
    "risk_level",
    "local_conditions",
    "risks",
)


class FieldError(InvalidInput):
    """Bad input the form can show next to the field named ``field``."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ProjectInput:
    """A project as the form gives it; rates as decimals (0.35 = 35 %)."""

    city_id: int
    sector_id: int
    template_id: int | None
    scale_quantity: float | None
    title: str
    description: str | None
    kpi_ids: list[int]
    delivery_model: DeliveryModel
    currency: str
    price_base_year: int
    price_basis: PriceBasis
    start_year: int
    horizon_years: int
    needed_capabilities: list[str] = field(default_factory=list)
    needs_other: str | None = None
    instruments_sought: list[str] = field(default_factory=list)
    risk_level: str = "medium"
    local_conditions: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    annual_revenue: float = 0.0
    annual_economic_benefit: float = 0.0
    co2_tonnes_per_year: float = 0.0
    labour_share_of_opex: float | None = None
    creation_key: str | None = None


def _get(project_id: int, *, with_lines: bool = False) -> Project:
    options = [selectinload(Project.kpis)]
    if with_lines:
        options.append(selectinload(Project.cash_flows))
    project = db.session.get(Project, project_id, options=options)
    if project is None:
        raise NotFound(f"There is no project {project_id}.")
    return project


def get_project_for_edit(user: User, project_id: int) -> Project:
    require_staff(user)
    return _get(project_id)


def _references(data: ProjectInput) -> tuple[ProjectTemplate | None, list[Kpi]]:
    """Check that what the input names exists; the template and KPIs it names."""
    if db.session.get(City, data.city_id) is None:
        raise FieldError("city_id", f"There is no city {data.city_id}: choose one of the list.")
    if db.session.get(Sector, data.sector_id) is None:
        raise FieldError("sector_id", "Choose a sector of the list.")
    if data.currency not in dict(available_currencies()):
        raise FieldError("currency", f"Choose a currency of the list, not '{data.currency}'.")
    template = None
    if data.template_id is not None:
        template = db.session.get(ProjectTemplate, data.template_id)
        if template is None:
            raise FieldError("template_id", "Choose a catalogue solution of the list, or none.")
        if template.sector_id != data.sector_id:
            raise FieldError(
                "sector_id",
                f"The solution '{template.name}' belongs to the sector "
                f"{template.sector.name}: choose that sector, or another solution.",
            )
    if data.horizon_years < 2:
        raise FieldError("horizon_years", "The horizon needs at least 2 years.")
    kpis = list(db.session.scalars(select(Kpi).where(Kpi.id.in_(data.kpi_ids))))
    if len(kpis) != len(set(data.kpi_ids)):
        raise FieldError("kpi_ids", "Choose KPIs of the list only.")
    if unknown_capabilities(data.needed_capabilities):
        raise FieldError(
            "needed_capabilities",
            "Choose capabilities of the list; write other needs in the text beside it.",
        )
    if set(data.instruments_sought) - {i.value for i in Instrument}:
        raise FieldError("instruments_sought", "Choose financing instruments of the list.")
    return template, kpis


def _economic_inputs(data: ProjectInput) -> dict:
    return {name: getattr(data, name) for name in ECONOMIC_INPUTS}


def rebuild_lines(project: Project) -> list[tuple[int, FlowKind, float]]:
    """A project's lines from its catalogue solution and economic inputs; sets capex_total
    and the cost basis. Raises FieldError naming the input to change when it cannot."""
    inputs = project.assumptions or {}
    if project.template is None or not project.scale_quantity:
        raise FieldError(
            "template_id",
            "This project has no catalogue solution and quantity to rebuild from: "
            "choose one on the edit page, or enter the cash flows by hand.",
        )
    try:
        solution = scale_template(
            project.template,
            float(project.scale_quantity),
            currency=project.currency,
            price_base_year=project.price_base_year,
        )
        lines = flow_lines(
            solution,
            start_year=project.start_year,
            horizon_years=project.horizon_years,
            annual_revenue=float(inputs.get("annual_revenue") or 0),
            annual_economic_benefit=float(inputs.get("annual_economic_benefit") or 0),
            co2_tonnes_per_year=float(inputs.get("co2_tonnes_per_year") or 0),
        )
    except PriceBaseError as error:  # its message says which year or currency to choose
        name = "currency" if isinstance(error, CurrencyDataError) else "price_base_year"
        raise FieldError(name, f"{error}.") from None
    except AppraisalError as error:
        raise FieldError("horizon_years", f"The cash flows cannot be built: {error}.") from None
    except ValueError as error:  # the catalogue row has no central unit cost
        raise FieldError("template_id", f"{error} Choose another solution.") from None
    project.assumptions = {**inputs, "cost_basis": solution.explanation}
    return lines


def replace_lines(project: Project, lines: list[tuple[int, FlowKind, float]]) -> None:
    """Make ``lines`` the project's whole cash-flow table and capex total."""
    cells = {}
    for year, kind, amount in lines:
        if amount:
            cells[(year, FlowKind(kind))] = Decimal(f"{amount:.2f}")
    kept = []
    for line in project.cash_flows:
        amount = cells.pop((line.year, line.kind), None)
        if amount is None:
            continue  # delete-orphan removes it
        if line.amount != amount:
            line.amount, line.note = amount, None
        kept.append(line)
    kept += [CashFlowLine(year=y, kind=k, amount=a) for (y, k), a in cells.items()]
    project.cash_flows = kept
    project.capex_total = sum(
        (line.amount for line in kept if line.kind is FlowKind.CAPEX), Decimal("0.00")
    )


def create_project(user: User, data: ProjectInput) -> Project:
    """A new project at stage "formulated" with its cash-flow lines, in one transaction.

    A form submitted again with the same creation key gets the project it made already.
    """
    require_staff(user)
    earlier = created_before(Project, data.creation_key)
    if earlier is not None:
        return earlier
    template, kpis = _references(data)
    project = Project(
        city_id=data.city_id,
        sector_id=data.sector_id,
        template=template,
        scale_quantity=data.scale_quantity if template else None,
        title=data.title,
        description=data.description,
        stage=Stage.FORMULATED,
        delivery_model=data.delivery_model,
        currency=data.currency,
        price_base_year=data.price_base_year,
        price_basis=data.price_basis,
        start_year=data.start_year,
        horizon_years=data.horizon_years,
        needed_capabilities=data.needed_capabilities,
        needs_other=data.needs_other,
        instruments_sought=data.instruments_sought,
        risk_level=data.risk_level,
        local_conditions=data.local_conditions,
        risks=data.risks,
        assumptions=_economic_inputs(data),
        created_by_id=user.id,
        kpis=kpis,
        cash_flows=[],
        creation_key=data.creation_key,
    )
    if template is not None:
        lines = rebuild_lines(project)
    else:
        project.assumptions = project.assumptions | {
            "cost_basis": ["No catalogue solution: capex and opex are entered by hand."]
        }
        lines = _hand_lines(data)
    replace_lines(project, lines)
    made = add_once(project, Project)
    if made is not project:
        return made
    record(
        "create",
        "project",
        project.id,
        {"title": data.title, "template_id": data.template_id, "lines": len(lines)},
        user_id=user.id,
    )
    db.session.commit()
    return project


def _hand_lines(data: ProjectInput) -> list[tuple[int, FlowKind, float]]:
    """Without a solution: the yearly economic inputs from year 1 (year 0 builds)."""
    lines = []
    for kind, amount in (
        (FlowKind.REVENUE, data.annual_revenue),
        (FlowKind.ECONOMIC_BENEFIT, data.annual_economic_benefit),
        (FlowKind.CO2_TONNES, data.co2_tonnes_per_year),
    ):
        if amount:
            lines += [(year, kind, amount) for year in range(1, data.horizon_years)]
    return lines


def edit_project(
    user: User,
    project_id: int,
    submitted_version: int | None,
    data: ProjectInput,
    *,
    rebuild_flows: bool = False,
) -> Project:
    """Save the edit form unless someone saved the project since ``submitted_version``.

    Lines beyond a shortened horizon are removed; with ``rebuild_flows`` the whole table
    is rebuilt from the catalogue solution and the economic inputs.
    """
    require_staff(user)
    project = _get(project_id, with_lines=True)
    check_version(project, submitted_version, "project")
    template, kpis = _references(data)
    with saving("project"):
        try:
            diff = _apply_edit(project, data, template, kpis, rebuild_flows=rebuild_flows)
        except InvalidInput:
            db.session.rollback()  # nothing half-changed stays in the session
            raise
        record("update", "project", project.id, diff, user_id=user.id)
        commit_versioned("project")
    return project


def _apply_edit(project, data, template, kpis, *, rebuild_flows: bool) -> dict:
    """Set the edit form's values on ``project``; the audit diff of what changed."""
    changes = {name: getattr(data, name) for name in _EDIT_FORM_FIELDS}
    changes["template_id"] = data.template_id
    before = {name: getattr(project, name) for name in changes}
    for name, value in changes.items():
        setattr(project, name, value)
    changes["kpis"] = sorted(k.code for k in kpis)
    before["kpis"] = sorted(k.code for k in project.kpis)
    project.template, project.kpis = template, kpis
    project.assumptions = {**(project.assumptions or {}), **_economic_inputs(data)}
    if rebuild_flows:
        lines = rebuild_lines(project)
    else:
        lines = [
            (line.year, line.kind, float(line.amount))
            for line in project.cash_flows
            if line.year < data.horizon_years
        ]
    replace_lines(project, lines)
    diff = _diff(before, changes)
    if rebuild_flows:
        diff["cash_flows"] = {"from": "kept", "to": "rebuilt from the catalogue solution"}
    return diff


def update_project(user: User, project_id: int, submitted_version: int | None, changes: dict):
    """Apply ``changes`` to a project unless someone saved it since ``submitted_version``."""
    require_staff(user)
    project = db.session.get(Project, project_id)
    if project is None:
        raise NotFound(f"There is no project {project_id}.")
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InvalidInput(f"These fields cannot be edited here: {', '.join(sorted(unknown))}.")
    check_version(project, submitted_version, "project")
    before = {name: getattr(project, name) for name in changes}
    for name, value in changes.items():
        setattr(project, name, value)
    record("update", "project", project.id, _diff(before, changes), user_id=user.id)
    commit_versioned("project")
    return project


def _diff(before: dict, after: dict) -> dict:
    return {
        name: {"from": str(before[name]), "to": str(after[name])}
        for name in after
        if before[name] != after[name]
    }
