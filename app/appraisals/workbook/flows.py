"""The "Cash flows" sheet: one row per year, the lines as the run used them, then the
formula columns of the financial, economic and PPP analyses.

Every formula reads the amounts of its row and the named inputs of the "Inputs" sheet
(FDR, SDR, SCF, ...); the EU grant is spread over the capex years from the grant the
"Results" sheet computes (name EUGrant), and the PPP debt from DebtAmount.
"""

from __future__ import annotations

from openpyxl import Workbook

from app.appraisals.workbook.cells import (
    BOLD,
    DATA_FILL,
    FACTOR,
    FIRST_ROW,
    FLOWS,
    FORMULA_FILL,
    GROUP_ROW,
    HEADER_ROW,
    TITLE,
    TONNES,
    WRAP,
    Column,
    Layout,
    money_format,
    per_unit_format,
)
from app.appraisals.workbook.method_columns import (
    carbon_columns,
    tax_columns,
    with_economic,
    with_nominal,
    with_taxes,
)
from app.appraisals.workbook.ppp_columns import ppp_columns
from app.appraisals.workbook.source import WorkbookSource

__all__ = ["ECONOMIC_LINES", "flow_columns", "write_flows"]

LINES = "Lines as the run used them"
FINANCIAL = "Financial analysis (formulas)"
NATIONAL = "Financing plan and return on national capital (formulas)"
ECONOMIC = "Economic analysis at shadow prices (formulas)"
SUSTAINABILITY = "Financial sustainability (formulas)"

#: Economic line columns -> the engine's line names (``results.economic.lines_pv``).
ECONOMIC_LINES = {
    "e_capex": "capex",
    "e_replacement": "replacement",
    "e_fixed_opex": "fixed_opex",
    "e_variable_opex": "variable_opex",
    "e_revenue": "revenue",
    "e_residual": "residual",
    "e_benefit": "benefit:economic benefit",
    "e_externality": "externality:externalities",
    "e_co2": "co2",
}


def _line_columns(source: WorkbookSource, money: str) -> list[Column]:
    basis = source.price_basis
    n = len(source.years)
    columns = [
        Column("year", "Year", "", "0", LINES, values=source.years, width=8),
        Column("t", "Period t", "0 = first year, not discounted", "0", LINES, values=range(n)),
    ]
    for key, header in (
        ("capex", "Capex"),
        ("replacement", "Replacements"),
        ("fixed_opex", "Fixed opex"),
        ("variable_opex", "Variable opex"),
        ("revenue", "Revenue"),
        ("residual", "Residual value"),
    ):
        columns.append(Column(key, header, basis, money, LINES, values=source.line(key)))
    columns += [
        Column(
            "benefit",
            "Economic benefits",
            f"{basis}, shadow prices",
            money,
            LINES,
            values=source.line("economic_benefit"),
        ),
        Column(
            "externality",
            "Externalities (+ benefit, - cost)",
            f"{basis}, shadow prices",
            money,
            LINES,
            values=source.line("externality"),
        ),
    ]
    carbon = source.carbon
    if carbon is not None:
        columns += [
            Column(
                "co2_tonnes",
                "CO2 avoided",
                "tCO2e",
                TONNES,
                LINES,
                values=source.line("co2_tonnes"),
            ),
            Column(
                "carbon_path",
                "Shadow carbon price (parameter set's path)",
                f"{carbon.path_currency}/tCO2e, constant {carbon.path_price_base_year} prices",
                per_unit_format(carbon.path_currency, "tCO2e"),
                LINES,
                values=carbon.path_prices,
            ),
        ]
    return columns


def _financial_columns(money: str, basis: str) -> list[Column]:
    return [
        Column(
            "net",
            "Net financial flow (FNPV/C)",
            basis,
            money,
            FINANCIAL,
            formula="=-{capex}-{replacement}-{fixed_opex}-{variable_opex}+{revenue}+{residual}",
        ),
        Column(
            "df",
            "Discount factor at FDR",
            "1/(1+FDR)^t",
            FACTOR,
            FINANCIAL,
            formula="=1/(1+FDR)^{t}",
        ),
        Column(
            "net_pv",
            "Discounted net financial flow",
            basis,
            money,
            FINANCIAL,
            formula="={net}*{df}",
        ),
        Column(
            "cum",
            "Cumulative net financial flow",
            f"{basis}, undiscounted",
            money,
            FINANCIAL,
            formula="={cum@prev}+{net}",
            first="={net}",
        ),
        Column(
            "cum_pv",
            "Cumulative discounted net financial flow",
            basis,
            money,
            FINANCIAL,
            formula="={cum_pv@prev}+{net_pv}",
            first="={net_pv}",
        ),
        Column(
            "net_revenue",
            "Net revenue (funding gap)",
            "revenue - opex - replacements + residual",
            money,
            FINANCIAL,
            formula="={revenue}-{fixed_opex}-{variable_opex}-{replacement}+{residual}",
        ),
        Column(
            "grant",
            "EU grant, spent with the capex",
            basis,
            money,
            NATIONAL,
            formula="=EUGrant*{capex}/SUM({capex*})",
        ),
        Column(
            "loan",
            "Loan drawdown",
            basis,
            money,
            NATIONAL,
            formula="=({capex}-{grant})*LoanShare",
        ),
        Column(
            "national",
            "National public contribution",
            basis,
            money,
            NATIONAL,
            formula="={capex}-{grant}-{loan}",
        ),
        Column(
            "loan_service",
            "Loan service",
            basis,
            money,
            NATIONAL,
            formula=(
                "=IF(AND({t}>=FirstOpPeriod,{t}<FirstOpPeriod+LoanTenor),"
                "-PMT(LoanRate,LoanTenor,SUM({loan*})),0)"
            ),
        ),
        Column(
            "k_flow",
            "Net flow on national capital (FNPV/K)",
            basis,
            money,
            NATIONAL,
            formula=(
                "={revenue}+{residual}-{fixed_opex}-{variable_opex}-{replacement}"
                "-{national}-{loan_service}"
            ),
        ),
    ]


def _sustainability_columns(source: WorkbookSource, money: str, basis: str) -> list[Column]:
    """The financial sustainability test: the yearly cash with the financing plan and
    the city's cover of an operating deficit, cumulated (none in a run kept without the
    cover)."""
    if "operating_deficit_cover" not in source.inputs["financing"]:
        return []
    unit = f"{basis}, undiscounted"
    return [
        Column("support", "Operating support (the city's cover of a deficit)", unit, money,
               SUSTAINABILITY,
               formula="=DeficitCover*MAX(0,{fixed_opex}+{variable_opex}+{replacement}"
                       "-{revenue}+{loan_service})"),
        Column("cash", "Net cash flow with financing", unit, money, SUSTAINABILITY,
               formula="={revenue}+{grant}+{national}+{loan}+{support}-{capex}-{replacement}"
                       "-{fixed_opex}-{variable_opex}-{loan_service}"),
        Column("cash_cum", "Cumulated cash flow (must not fall below 0)", unit, money,
               SUSTAINABILITY, formula="={cash_cum@prev}+{cash}", first="={cash}"),
    ]  # fmt: skip


def _economic_columns(source: WorkbookSource, money: str, basis: str) -> list[Column]:
    unit = f"{basis}, shadow prices"
    made = {
        "e_capex": ("Capex", "=-{capex}*SCF"),
        "e_replacement": ("Replacements", "=-{replacement}*SCF"),
        "e_fixed_opex": ("Fixed opex", "=-{fixed_opex}*OpexCF"),
        "e_variable_opex": ("Variable opex", "=-{variable_opex}*OpexCF"),
        "e_revenue": ("Revenue (willingness to pay)", "={revenue}*SCF*IncludeRevenues"),
        "e_residual": ("Residual value", "={residual}*SCF"),
        "e_benefit": ("Economic benefits", "={benefit}"),
        "e_externality": ("Externalities", "={externality}"),
    }
    columns = []
    if source.carbon is not None:
        columns.append(
            Column(
                "carbon_price",
                "Shadow carbon price in project prices",
                f"{source.currency}/tCO2e, {source.price_base_year} prices",
                per_unit_format(source.currency, "tCO2e"),
                ECONOMIC,
                formula="={carbon_path}*CarbonFactor",
            )
        )
        made["e_co2"] = ("CO2 avoided, valued", "={co2_tonnes}*{carbon_price}")
    columns += [
        Column(key, f"Economic: {header}", unit, money, ECONOMIC, formula=formula)
        for key, (header, formula) in made.items()
    ]
    keys = list(made)
    columns += [
        Column(
            "e_net",
            "Net economic flow (ENPV)",
            unit,
            money,
            ECONOMIC,
            formula="=" + "+".join(f"{{{k}}}" for k in keys),
        ),
        Column(
            "e_benefits",
            "Economic benefits (positive amounts of the lines)",
            unit,
            money,
            ECONOMIC,
            formula="=" + "+".join(f"MAX(0,{{{k}}})" for k in keys),
        ),
        Column(
            "e_costs",
            "Economic costs (negative amounts of the lines)",
            unit,
            money,
            ECONOMIC,
            formula="=" + "+".join(f"MAX(0,-{{{k}}})" for k in keys),
        ),
        Column(
            "sdf",
            "Discount factor at SDR",
            "1/(1+SDR)^t",
            FACTOR,
            ECONOMIC,
            formula="=1/(1+SDR)^{t}",
        ),
        Column(
            "e_pv", "Discounted net economic flow", unit, money, ECONOMIC, formula="={e_net}*{sdf}"
        ),
    ]
    return columns


def flow_columns(source: WorkbookSource) -> list[Column]:
    """Every column of the sheet, in order (PPP and CO2 ones only where the run has them)."""
    money = money_format(source.currency)
    basis = source.price_basis
    return [
        *_line_columns(source, money),
        *tax_columns(source, money, basis),
        *with_taxes(
            _financial_columns(money, basis) + _sustainability_columns(source, money, basis),
            source,
        ),
        *with_nominal(with_economic(_economic_columns(source, money, basis), source), source),
        *carbon_columns(source, money),
        *ppp_columns(source, money, basis),
    ]


def write_flows(book: Workbook, source: WorkbookSource) -> Layout:
    """Add the "Cash flows" sheet; its layout serves the "Results" formulas."""
    layout = Layout(flow_columns(source), len(source.years))
    sheet = book.create_sheet(FLOWS)
    sheet["A1"] = f"Cash flows of appraisal run {source.run_id}: {source.title}"
    sheet["A1"].font = TITLE
    sheet["A2"] = (
        f"Amounts in {source.price_basis} (CO2 in tonnes). Yellow headers: the amounts the "
        "run used; blue: formulas. Period 0 is not discounted."
    )
    group = None
    for index, column in enumerate(layout.columns, start=1):
        if column.group != group:
            group = column.group
            sheet.cell(GROUP_ROW, index, group).font = BOLD
        unit = f" ({column.unit})" if column.unit else ""
        head = sheet.cell(HEADER_ROW, index, f"{column.header}{unit}")
        head.font, head.alignment = BOLD, WRAP
        head.fill = DATA_FILL if column.values is not None else FORMULA_FILL
        sheet.column_dimensions[head.column_letter].width = column.width
        for period in range(layout.years):
            row = FIRST_ROW + period
            if column.values is not None:
                value = column.values[period]
            else:
                template = column.first if period == 0 and column.first else column.formula
                value = layout.fill(template, row)
            sheet.cell(row, index, value).number_format = column.number_format
    sheet.row_dimensions[HEADER_ROW].height = 75
    sheet.freeze_panes = f"C{FIRST_ROW}"
    return layout
