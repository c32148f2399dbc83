"""The "Financing plan" sheet: the project's financing plan as the run kept it (see
app.financing.plan), sources and uses per year, each loan's schedule, DSCR and LLCR.

The sources the plan gives (grants, equity, PPP money, the city budget filling the gap)
and each loan's drawdowns and principal repayments are the plan's amounts; the rest
is formulas: each loan's opening balance, interest (opening x rate), closing balance,
interest during construction (before its first service year) and debt service; the
totals of sources and uses and their difference; CFADS (revenue - opex - replacements,
from "Cash flows"); DSCR = CFADS / debt service; LLCR = the PV at the weighted debt rate
of CFADS from the year to the last year of service (end-year flows) / debt outstanding
at the start of the year (engine: :func:`appraisal.finance.debt.cover_ratios`).
"""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName

from app.appraisals.workbook.cells import BOLD, DATA_FILL, FORMULA_FILL, TITLE, WRAP, Layout
from app.appraisals.workbook.figures import Result
from app.financing.plan import SOURCE_LABELS, USE_LABELS

__all__ = ["PLAN", "PlanLayout", "plan_sections", "write_plan"]

PLAN = "Financing plan"
HEAD, FIRST = 5, 6
_GIVEN_SOURCES = ("eu_grant", "national_grant", "equity", "ppp_private", "city_budget")


class PlanLayout:
    """Columns of the sheet: (key, header, values or formula template) in order."""

    def __init__(self, plan: Mapping, flows: Layout):
        self.plan, self.flows, self.n = plan, flows, len(plan["years"])
        self.columns: list[tuple[str, str, object]] = [
            ("year", "Year", plan["years"]),
            ("t", "Period t", list(range(self.n))),
            ("cfads", "CFADS (revenue - opex - replacements)", "cfads"),
        ]
        for kind in _GIVEN_SOURCES:
            if any(plan["sources"][kind]):
                self.columns.append((f"src_{kind}", SOURCE_LABELS[kind], plan["sources"][kind]))
        self.loans = plan["loans"]
        for i, loan in enumerate(self.loans, start=1):
            label = loan["label"]
            self.columns += [
                (f"draw{i}", f"{label}: drawdown", loan["drawdown"]),
                (f"princ{i}", f"{label}: principal repaid", loan["principal"]),
                (f"open{i}", f"{label}: opening balance", f"={{close{i}@prev}}"),
                (f"int{i}", f"{label}: interest", f"={{open{i}}}*Loan{i}Rate"),
                (f"close{i}", f"{label}: closing balance",
                 f"={{open{i}}}+{{draw{i}}}-{{princ{i}}}"),
                (f"idc{i}", f"{label}: interest during construction",
                 f"=IF({{t}}<Loan{i}First,{{int{i}}},0)"),
                (f"serv{i}", f"{label}: debt service",
                 f"=IF({{t}}>=Loan{i}First,{{int{i}}}+{{princ{i}}},0)"),
            ]  # fmt: skip
        loans = range(1, len(self.loans) + 1)
        self.columns += [
            ("use_capex", USE_LABELS["capex"], plan["uses"]["capex"]),
            ("use_idc", USE_LABELS["idc"], "=0" + "".join(f"+{{idc{i}}}" for i in loans)),
            ("use_fees", USE_LABELS["fees"], plan["uses"]["fees"]),
            ("use_dsra", USE_LABELS["dsra"], plan["uses"]["dsra"]),
            ("total_sources", "Total sources",
             "=0" + "".join(f"+{{{k}}}" for k, _, _ in self.columns if k.startswith("src_"))
             + "".join(f"+{{draw{i}}}" for i in loans)),
            ("total_uses", "Total uses", "={use_capex}+{use_idc}+{use_fees}+{use_dsra}"),
            ("balance", "Sources - uses", "={total_sources}-{total_uses}"),
            ("service", "Debt service", "=0" + "".join(f"+{{serv{i}}}" for i in loans)),
            ("opening", "Debt outstanding, start of year",
             "=0" + "".join(f"+{{open{i}}}" for i in loans)),
            ("dscr", "DSCR", '=IF({service}>0,{cfads}/{service},"")'),
            ("llcr", "LLCR", '=IF(AND({t}>=PlanFirstService,{opening}>0),SUMPRODUCT(({t*}>={t})'
             '*({t*}<=PlanMaturity)*{cfads*}/(1+PlanRate)^({t*}-{t}+1))/{opening},"")'),
        ]  # fmt: skip
        self.letters = {k: get_column_letter(i) for i, (k, _, _) in enumerate(self.columns, 1)}

    def fill(self, template: str, period: int) -> str:
        row = FIRST + period
        if template == "cfads":
            return "=" + self._cfads(period)
        out = template
        for key, letter in sorted(self.letters.items(), key=lambda kv: -len(kv[0])):
            out = out.replace(f"{{{key}*}}", f"${letter}${FIRST}:${letter}${FIRST + self.n - 1}")
            prev = "0" if period == 0 else f"{letter}{row - 1}"
            out = out.replace(f"{{{key}@prev}}", prev).replace(f"{{{key}}}", f"{letter}{row}")
        return out

    def _cfads(self, period: int) -> str:
        cell = self.flows.cell
        return (f"{cell('revenue', period)}-{cell('fixed_opex', period)}"
                f"-{cell('variable_opex', period)}-{cell('replacement', period)}")  # fmt: skip

    def range(self, key: str) -> str:
        letter = self.letters[key]
        return f"{quote_sheetname(PLAN)}!${letter}${FIRST}:${letter}${FIRST + self.n - 1}"

    def cell(self, key: str, period: int) -> str:
        return f"{quote_sheetname(PLAN)}!${self.letters[key]}${FIRST + period}"


def _loan_facts(loan: Mapping) -> tuple[int, int]:
    """The first year of service (the year after the last drawdown) and the last one."""
    draws = [t for t, v in enumerate(loan["drawdown"]) if v]
    first = (draws[-1] + 1) if draws else 0
    return first, first + int(loan["tenor"]) - 1


def write_plan(book: Workbook, layout: PlanLayout) -> None:
    """Add the sheet and its names (each loan's rate and first service year, the plan's
    weighted debt rate, first service year and maturity)."""
    sheet = book.create_sheet(PLAN)
    sheet["A1"] = "Financing plan of the run: sources and uses, loans, DSCR and LLCR"
    sheet["A1"].font = TITLE
    sheet["A2"] = (f"Amounts in {layout.plan['price_basis']}. Yellow: the plan's amounts; "
                   "blue: formulas.")  # fmt: skip
    names: list[tuple[str, object, str]] = []
    facts = [_loan_facts(loan) for loan in layout.loans]
    for i, (loan, (first, _)) in enumerate(zip(layout.loans, facts, strict=True), start=1):
        names += [(f"Loan{i}Rate", loan["rate"], f"{loan['label']}: rate"),
                  (f"Loan{i}Amount", loan["amount"], f"{loan['label']}: amount"),
                  (f"Loan{i}First", first, f"{loan['label']}: first service period")]  # fmt: skip
    if layout.loans:
        amounts = "+".join(f"Loan{i}Amount" for i in range(1, len(layout.loans) + 1))
        rates = "+".join(f"Loan{i}Amount*Loan{i}Rate" for i in range(1, len(layout.loans) + 1))
        names += [("PlanRate", f"=({rates})/({amounts})", "weighted debt rate"),
                  ("PlanFirstService", min(f for f, _ in facts), "first service period"),
                  ("PlanMaturity", max(m for _, m in facts), "last service period")]  # fmt: skip
    for offset, (name, value, label) in enumerate(names):  # row 3: label, value pairs
        sheet.cell(3, 1 + 2 * offset, label)
        cell = sheet.cell(3, 2 + 2 * offset, value)
        cell.fill = FORMULA_FILL if isinstance(value, str) else DATA_FILL
        ref = f"{quote_sheetname(PLAN)}!${cell.column_letter}$3"
        book.defined_names[name] = DefinedName(name, attr_text=ref)
    for index, (key, header, spec) in enumerate(layout.columns, start=1):
        head = sheet.cell(HEAD, index, header)
        head.font, head.alignment = BOLD, WRAP
        head.fill = DATA_FILL if not isinstance(spec, str) else FORMULA_FILL
        sheet.column_dimensions[head.column_letter].width = 14
        for period in range(layout.n):
            value = spec[period] if not isinstance(spec, str) else layout.fill(spec, period)
            sheet.cell(FIRST + period, index, value).number_format = (
                "0.000" if key in ("dscr", "llcr") else "#,##0.00"
            )
    sheet.row_dimensions[HEAD].height = 60


def plan_sections(plan: Mapping | None, layout: PlanLayout | None) -> list[tuple[str, list]]:
    """The "Results" figures of the plan: totals of the first year, DSCR and LLCR."""
    if not plan or layout is None:
        return []
    field = ("financing_plan",)
    rows = [
        Result("plan_sources_0", f"Financing plan: total sources {plan['years'][0]}",
               "=" + layout.cell("total_sources", 0), (*field, "total_sources", "0"), "money",
               "sum of the sources of the year"),
        Result("plan_uses_0", f"Financing plan: total uses {plan['years'][0]}",
               "=" + layout.cell("total_uses", 0), (*field, "total_uses", "0"), "money",
               "capex + IDC + fees + DSRA"),
    ]  # fmt: skip
    if plan["loans"]:
        rows += [
            Result("plan_min_dscr", "Financing plan: DSCR, minimum",
                   f"=MIN({layout.range('dscr')})",
                   (*field, "min_dscr"), "ratio", "lowest yearly CFADS / debt service"),
            Result("plan_avg_dscr", "Financing plan: DSCR, average",
                   f"=AVERAGE({layout.range('dscr')})", (*field, "avg_dscr"), "ratio",
                   "mean of the yearly DSCRs"),
            Result("plan_min_llcr", "Financing plan: LLCR, minimum",
                   f"=MIN({layout.range('llcr')})",
                   (*field, "min_llcr"), "ratio", "lowest yearly LLCR"),
            Result("plan_avg_llcr", "Financing plan: LLCR, average",
                   f"=AVERAGE({layout.range('llcr')})", (*field, "avg_llcr"), "ratio",
                   "mean of the yearly LLCRs"),
        ]  # fmt: skip
    return [("Financing plan: sources and uses, DSCR and LLCR", rows)]
