"""The "Inputs" sheet: every input of the run as a labelled cell with its unit and
source, and a workbook-wide defined name (FDR, SDR, ...) for those the formulas use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.utils import quote_sheetname
from openpyxl.workbook.defined_name import DefinedName

from app.appraisals.workbook.cells import (
    BOLD,
    DATA_FILL,
    FORMULA_FILL,
    INPUTS,
    RATE,
    RATIO,
    TITLE,
    WRAP,
)
from app.appraisals.workbook.source import WorkbookSource

__all__ = ["Entry", "input_entries", "write_inputs"]

YEARS = '0 "years"'
YEAR = "0"
FLAG = '0 "(1 = yes, 0 = no)"'

PPP_LABELS = {
    "debt_rate": ("Senior debt rate (real)", "DebtRate", RATE),
    "target_dscr": ("Target DSCR (debt sculpted to it)", "TargetDSCR", RATIO),
    "gearing": ("Gearing (debt share of capex)", "Gearing", RATE),
    "target_equity_irr": ("Target equity IRR (real)", "TargetEquityIRR", RATE),
    "indexation": ("Payment indexation a year (real)", "Indexation", RATE),
    "transferable_risk_share": (
        "Transferable risk, share of public cost",
        "TransferableRisk",
        RATE,
    ),
    "retained_risk_share": ("Retained risk, share of public cost", "RetainedRisk", RATE),
    "competitive_neutrality_share": (
        "Competitive neutrality, share of public cost",
        "CompNeutrality",
        RATE,
    ),
}
FINANCING_LABELS = {
    "loan_share": ("Loan share of the capex not covered by the EU grant", "LoanShare", RATE),
    "loan_rate": ("Loan interest rate (real)", "LoanRate", RATE),
    "loan_tenor": ("Loan tenor", "LoanTenor", YEARS),
    "operating_deficit_cover": (
        "Share of the operating deficit covered by the city's budget (sustainability only)",
        "DeficitCover",
        RATE,
    ),
}


@dataclass(frozen=True)
class Entry:
    """One labelled input: ``name`` is its defined name (None: a fact, not used by formulas)."""

    label: str
    value: object
    number_format: str = "General"
    unit: str = ""
    name: str | None = None
    note: str = ""


def _run(source: WorkbookSource, made: datetime) -> list[Entry]:
    snap = source.inputs
    mc = snap["monte_carlo"]
    draws = f"{mc['draws']:,} draws, seed {mc['seed']}" if mc["draws"] else "not run"
    return [
        Entry("Project", source.title, note="illustrative" if source.illustrative else ""),
        Entry("Project id", source.project_id, YEAR),
        Entry("City", source.city),
        Entry("Delivery model", source.delivery_model.replace("_", " ")),
        Entry("Illustrative project", "yes" if source.illustrative else "no"),
        Entry("Appraisal run id", source.run_id, YEAR),
        Entry("Run computed (UTC)", source.created_at.strftime("%Y-%m-%d %H:%M")),
        Entry("Engine version", source.engine_version),
        Entry("Workbook made (UTC)", made.strftime("%Y-%m-%d %H:%M")),
        Entry("Monte Carlo (not in this workbook)", draws),
    ]


def _prices(source: WorkbookSource) -> list[Entry]:
    residual = source.line("residual")
    total = sum(residual)
    where = ", ".join(str(y) for y, v in zip(source.years, residual, strict=True) if v) or "none"
    return [
        Entry("Currency", source.currency, name="Currency"),
        Entry("Price base year", source.price_base_year, YEAR, name="PriceBaseYear"),
        Entry("Price basis", source.price_basis, note="every amount of the workbook is in it"),
        Entry("Start year (period 0)", source.start_year, YEAR, name="StartYear"),
        Entry("Horizon (reference period)", len(source.years), YEARS, name="Horizon"),
        Entry(
            "First operating period",
            source.first_operating_period,
            YEAR,
            "period t",
            "FirstOpPeriod",
            "the year after the last capex; loan service and PPP operation start then",
        ),
        Entry(
            "Residual value rule",
            "residual value line of the project's cash flows, as entered",
            note=(
                f"total {total:,.2f} {source.currency} in {where}; an inflow in FNPV/C, FNPV/K "
                "and the funding gap's net revenue, at the standard conversion factor in ENPV"
            ),
        ),
    ]


def _parameters(source: WorkbookSource) -> list[Entry]:
    params = source.parameters
    ref = source.inputs["parameter_set"]
    overrides = source.inputs.get("overrides") or {}
    sources = params.sources
    path = params.carbon_price
    points = "; ".join(f"{y}: {p:,.2f}" for y, p in path.points)
    entries = [
        Entry("Parameter set", ref["name"], note=params.notes),
        Entry("Parameter set version", ref["version"]),
        Entry(
            "Overridden for this run",
            ", ".join(f"{k.replace('_', ' ')} {v:.6g}" for k, v in overrides.items()) or "nothing",
        ),
        Entry(
            "Financial discount rate (real)",
            params.financial_discount_rate,
            RATE,
            "decimal a year",
            "FDR",
            sources.get("financial_discount_rate", ""),
        ),
        Entry(
            "Social discount rate (real)",
            params.social_discount_rate,
            RATE,
            "decimal a year",
            "SDR",
            sources.get("social_discount_rate", ""),
        ),
        Entry(
            "Standard conversion factor",
            params.standard_conversion_factor,
            RATIO,
            "shadow / market price",
            "SCF",
            sources.get("standard_conversion_factor", ""),
        ),
        Entry(
            "Shadow wage factor",
            params.shadow_wage_factor,
            RATIO,
            "shadow / market wage",
            "SWF",
            sources.get("shadow_wage_factor", ""),
        ),
        Entry(
            "EU co-financing rate",
            params.cofinancing_rate,
            RATE,
            "decimal",
            "CofinRate",
            sources.get("cofinancing_rate", ""),
        ),
        Entry(
            "Shadow carbon price path",
            points,
            unit=f"{path.currency}/tCO2e, constant {path.price_base_year} prices",
            note=path.source,
        ),
    ]
    carbon = source.carbon
    if carbon is not None:
        entries.append(
            Entry(
                "Carbon price conversion to the project's prices",
                carbon.factor,
                "0.000000000",
                f"{source.currency} {source.price_base_year} per {carbon.path_currency} "
                f"{carbon.path_price_base_year}",
                "CarbonFactor",
                carbon.conversion.explain().replace("\n", " "),
            )
        )
    return entries


def _economic(source: WorkbookSource) -> list[Entry]:
    eco = source.inputs["economic"]
    labour = eco.get("labour_share_of_opex")
    return [
        Entry(
            "Labour share of opex",
            0.0 if labour is None else float(labour),
            RATE,
            "decimal",
            "LabourShare",
            "not set for the project: no labour correction" if labour is None else "project",
        ),
        Entry(
            "Conversion factor of opex",
            "=LabourShare*SWF+(1-LabourShare)*SCF",
            RATIO,
            "shadow / market price",
            "OpexCF",
            "labour share at the shadow wage factor, the rest at the standard factor",
        ),
        Entry(
            "Revenues counted as willingness to pay",
            1 if eco.get("include_revenues", True) else 0,
            FLAG,
            name="IncludeRevenues",
        ),
    ]


def _labelled(assumptions: dict, labels: dict) -> list[Entry]:
    entries = []
    for key, (label, name, fmt) in labels.items():
        if key in assumptions:
            item = assumptions[key]
            value = int(item["value"]) if fmt == YEARS else float(item["value"])
            unit = "" if fmt in (YEARS, RATIO) else "decimal"
            entries.append(Entry(label, value, fmt, unit, name, item["source"]))
    return entries


def _ppp(source: WorkbookSource) -> list[Entry]:
    assumptions = source.inputs.get("ppp")
    if not assumptions:
        return []
    entries = _labelled(assumptions, PPP_LABELS)
    entries.append(
        Entry(
            "Concession (the operator keeps user charges)",
            1 if source.concession else 0,
            FLAG,
            name="Concession",
        )
    )
    ppp = source.ppp
    if ppp is not None:
        ap = ppp["availability_payment"]
        entries.append(
            Entry(
                "Availability payment, first operating year",
                ap["first_year"],
                "#,##0.00",
                f"{source.price_basis} a year",
                note=(
                    f"sized by the platform for the target {ap['target']} IRR of "
                    f"{ap['target_irr']:.2%} "
                    "(a goal seek, not redone here); yearly payments on the Cash flows sheet"
                ),
            )
        )
    return entries


def input_entries(source: WorkbookSource, made: datetime) -> list[tuple[str, list[Entry]]]:
    """The sections of the sheet, each a heading and its entries."""
    sections = [
        ("The run", _run(source, made)),
        ("Prices and horizon", _prices(source)),
        ("Parameter set", _parameters(source)),
        ("Economic analysis", _economic(source)),
        ("Financing plan (FNPV/K)", _labelled(source.inputs["financing"], FINANCING_LABELS)),
    ]
    ppp = _ppp(source)
    if ppp:
        sections.append(("PPP assumptions", ppp))
    return sections


def write_inputs(
    book: Workbook,
    source: WorkbookSource,
    made: datetime,
    extra: list[tuple[str, list[Entry]]] = (),
) -> None:
    """Add the "Inputs" sheet and its defined names (``extra``: the sections of the
    run's methods, see :mod:`.method_columns`)."""
    sheet = book.create_sheet(INPUTS)
    sheet["A1"] = f"Inputs of appraisal run {source.run_id}: {source.title}"
    sheet["A1"].font = TITLE
    sheet["A2"] = "Rates are decimals (0.04 is 4 %), shown as percentages."
    for column, (head, width) in enumerate(
        (("Input", 48), ("Value", 22), ("Unit", 30), ("Name", 16), ("Source / note", 100)),
        start=1,
    ):
        sheet.cell(4, column, head).font = BOLD
        sheet.column_dimensions[sheet.cell(4, column).column_letter].width = width
    row = 4
    for heading, entries in [*input_entries(source, made), *extra]:
        row += 2
        sheet.cell(row, 1, heading).font = BOLD
        for entry in entries:
            row += 1
            sheet.cell(row, 1, entry.label)
            value = sheet.cell(row, 2, entry.value)
            value.number_format = entry.number_format
            sheet.cell(row, 3, entry.unit)
            sheet.cell(row, 5, entry.note).alignment = WRAP
            if entry.name:
                sheet.cell(row, 4, entry.name)
                is_formula = isinstance(entry.value, str) and entry.value.startswith("=")
                value.fill = FORMULA_FILL if is_formula else DATA_FILL
                ref = f"{quote_sheetname(INPUTS)}!$B${row}"
                book.defined_names[entry.name] = DefinedName(entry.name, attr_text=ref)
