"""The figures of the "Results" sheet: each figure of the run page as a formula over
the "Inputs" and "Cash flows" sheets, with the path of the platform's value.

Present values follow the engine's convention, period 0 not discounted:
``first + NPV(rate, rest)`` (Excel's NPV discounts its first value by one period).
An IRR the platform found undefined (none, or several) is shown as "n/a" with the
reason, not as a formula: a spreadsheet's IRR would pick one root without saying so.
Each IRR starts its iteration where the "IRR start" sheet finds its flow's NPV
changing sign (see :mod:`.irr_start`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.appraisals.workbook.cells import Layout
from app.appraisals.workbook.flows import ECONOMIC_LINES
from app.appraisals.workbook.source import WorkbookSource

__all__ = ["Figures", "Result", "platform_value"]


@dataclass(frozen=True)
class Result:
    """One figure. ``formula`` may name other figures as ``<key>`` (their workbook
    cell) and its IRR starting point as ``<guess>``; ``field`` is the path of the
    platform's value in the run's results."""

    key: str
    label: str
    formula: str
    field: tuple[str, ...]
    kind: str  # "money", "rate", "ratio"
    how: str
    name: str | None = None  # a defined name for the workbook cell
    note_field: tuple[str, ...] | None = None  # the reason an IRR is undefined
    guess: str | None = None  # the formula of the IRR's starting point


def platform_value(results: Mapping, path: tuple[str, ...]):
    """The run's value at ``path`` (list items by their index); None when absent."""
    value = results
    for key in path:
        if isinstance(value, list):
            value = value[int(key)]
        elif isinstance(value, Mapping):
            value = value.get(key)
        else:
            return None
    return value


class Figures:
    """The figures of one run, over the layout of its flows and its IRR starting points."""

    def __init__(self, source: WorkbookSource, layout: Layout, starts: Mapping[str, str]):
        self.source, self.layout, self.starts = source, layout, starts

    def pv(self, column: str, rate: str) -> str:
        return "=" + self.layout.present_value(column, rate)

    def irr(self, key: str, label: str, column: str, field: tuple, note: tuple, how: str):
        return Result(
            key,
            label,
            f"=IRR({self.layout.range(column)},<guess>)",
            field,
            "rate",
            how,
            note_field=note,
            guess="=" + self.starts[column],
        )

    def sections(self) -> list[tuple[str, list[Result]]]:
        """Headings and their figures the run has (an undefined IRR stays, with its reason)."""
        basis = self.source.price_basis
        sections = [
            (f"Financial analysis at FDR ({basis})", self.financial()),
            (f"Economic analysis at SDR ({basis})", self.economic()),
        ]
        if "cash_cum" in self.layout:
            sections.append(("Financial sustainability (cumulated cash with financing)",
                             self.sustainability()))  # fmt: skip
        if self.source.ppp is not None:
            sections.append(("PPP: value for money and project finance", self.ppp()))
        if self.source.has_debt:
            sections.append(("Debt service cover ratio per operating year", self.dscr()))
        results = self.source.results

        def has(result: Result) -> bool:
            return bool(result.note_field) or platform_value(results, result.field) is not None

        return [(heading, [r for r in rows if has(r)]) for heading, rows in sections]

    def financial(self) -> list[Result]:
        gap = ("financial", "funding_gap")
        capex = "f_capex" if "f_capex" in self.layout else "capex"  # VAT treated
        nominal = bool((self.source.results.get("methods") or {}).get("nominal"))
        rate = "FDRN" if nominal else "FDR"  # current prices: the Fisher nominal rate

        def pv(column: str, _rate: str) -> str:
            return self.pv(column, rate)

        return [
            Result("fnpv_c", "FNPV/C, return on investment", pv("net", "FDR"),
                   ("financial", "fnpv_c"), "money", f"net financial flow discounted at {rate}"),
            self.irr("frr_c", "FRR/C", "net", ("financial", "frr_c"),
                     ("financial", "frr_c_note"), "IRR of the net financial flow"),
            Result("dic", "Discounted investment cost (DIC)", pv(capex, "FDR"), (*gap, "dic"),
                   "money", "capex discounted at FDR"),
            Result("dnr", "Discounted net revenue (DNR)", pv("net_revenue", "FDR"),
                   (*gap, "dnr"), "money",
                   "revenue - opex - replacements + residual value, discounted at FDR"),
            Result("gap_rate", "Funding-gap rate", "=MIN(1,MAX(0,(<dic>-<dnr>)/<dic>))",
                   (*gap, "rate"), "rate", "(DIC - DNR) / DIC, kept in [0, 1]"),
            Result("eligible", "Eligible cost", f"=SUM({self.layout.range(capex)})",
                   (*gap, "eligible_cost"), "money", "total capex, undiscounted"),
            Result("decision", "Decision amount", "=<eligible>*<gap_rate>",
                   (*gap, "decision_amount"), "money", "eligible cost x funding-gap rate"),
            Result("grant", "EU grant", "=<decision>*CofinRate", (*gap, "grant"), "money",
                   "decision amount x co-financing rate", name="EUGrant"),
            Result("fnpv_k", "FNPV/K, return on national capital", pv("k_flow", "FDR"),
                   ("financial", "fnpv_k"), "money",
                   "flow on national capital discounted at FDR"),
            self.irr("frr_k", "FRR/K", "k_flow", ("financial", "frr_k"),
                     ("financial", "frr_k_note"), "IRR of the flow on national capital"),
        ]  # fmt: skip

    def sustainability(self) -> list[Result]:
        """The cumulated cash at the first operating year, its lowest year and the end."""
        cumulated = self.source.results["financial"]["sustainability"]["cumulated"]
        last = self.layout.years - 1
        periods = {self.source.first_operating_period, last}
        if cumulated:
            periods.add(min(range(len(cumulated)), key=lambda t: cumulated[t]))
        return [
            Result(f"cash_cum_{self.source.years[t]}",
                   f"Cumulated cash flow with financing {self.source.years[t]}",
                   "=" + self.layout.cell("cash_cum", t),
                   ("financial", "sustainability", "cumulated", str(t)), "money",
                   "revenue + sources of financing - costs - loan service (- working capital "
                   "and profit tax), cumulated; sustainable when never below 0")
            for t in sorted(p for p in periods if p <= last)
        ]  # fmt: skip

    def economic(self) -> list[Result]:
        pv = self.pv
        rows = [
            Result("enpv", "ENPV", pv("e_net", "SDR"), ("economic", "enpv"), "money",
                   "net economic flow discounted at SDR"),
            self.irr("err", "ERR", "e_net", ("economic", "err"), ("economic", "err_note"),
                     "IRR of the net economic flow"),
            Result("pv_benefits", "Present value of benefits", pv("e_benefits", "SDR"),
                   ("economic", "pv_benefits"), "money",
                   "positive amounts of every line, at SDR"),
            Result("pv_costs", "Present value of costs", pv("e_costs", "SDR"),
                   ("economic", "pv_costs"), "money", "negative amounts of every line, at SDR"),
            Result("bcr", "B/C ratio", "=<pv_benefits>/<pv_costs>", ("economic", "bcr"),
                   "ratio", "PV of benefits / PV of costs"),
        ]  # fmt: skip
        lines_pv = self.source.results["economic"]["lines_pv"]
        for column, line in ECONOMIC_LINES.items():
            if column in self.layout and lines_pv.get(line):
                name = line.replace(":", ": ").replace("_", " ")
                rows.append(
                    Result(f"pv_{column}", f"Present value of the line {name}",
                           pv(column, "SDR"), ("economic", "lines_pv", line), "money",
                           "the line at shadow prices, discounted at SDR")
                )  # fmt: skip
        return rows

    def ppp(self) -> list[Result]:
        pv, vfm, debt = self.pv, ("ppp", "vfm"), ("ppp", "debt")
        psc, bid = (*vfm, "psc_components"), (*vfm, "ppp_components")
        rows = [
            Result("psc_raw", "PSC: raw cost", pv("psc_raw", "FDR"), (*psc, "raw cost"),
                   "money", "discounted at FDR"),
            Result("psc_cn", "PSC: competitive neutrality", pv("psc_cn", "FDR"),
                   (*psc, "competitive neutrality"), "money", "discounted at FDR"),
            Result("psc_tr", "PSC: transferable risk", pv("psc_tr", "FDR"),
                   (*psc, "transferable risk"), "money", "discounted at FDR"),
            Result("psc_rr", "PSC: retained risk", pv("retained", "FDR"),
                   (*psc, "retained risk"), "money", "discounted at FDR"),
            *([Result("psc_ob", "PSC: optimism bias", pv("psc_ob", "FDR"),
                      (*psc, "optimism bias"), "money", "capex x the uplift, at FDR")]
              if "psc_ob" in self.layout else []),
            Result("psc", "Public sector comparator (PSC)",
                   "=<psc_raw>+<psc_cn>+<psc_tr>+<psc_rr>"
                   + ("+<psc_ob>" if "psc_ob" in self.layout else ""), (*vfm, "psc"), "money",
                   "sum of its components"),
            Result("bid", "PPP: shadow bid", pv("shadow_bid", "FDR"), (*bid, "shadow bid"),
                   "money", "discounted at FDR"),
            Result("ppp_rr", "PPP: retained risk", pv("retained", "FDR"),
                   (*bid, "retained risk"), "money", "discounted at FDR"),
            Result("ppp_total", "PPP option", "=<bid>+<ppp_rr>", (*vfm, "ppp"), "money",
                   "shadow bid + retained risk"),
            Result("vfm", "Value for money (PSC - PPP)", "=<psc>-<ppp_total>", (*vfm, "vfm"),
                   "money", "positive favours the PPP"),
            Result("vfm_share", "Value for money, share of the PSC", "=<vfm>/<psc>",
                   (*vfm, "vfm_share"), "rate", "VfM / PSC"),
        ]  # fmt: skip
        if self.source.has_debt:
            service = self.layout.range("service", self.source.first_operating_period)
            dscr, llcr = self.layout.range("dscr"), self.layout.range("llcr")
            rows += [
                Result("debt", "Senior debt", f"=NPV(DebtRate,{service})", (*debt, "amount"),
                       "money", "debt service discounted at the debt rate to the start of "
                       "operation", name="DebtAmount"),
                Result("min_dscr", "DSCR, minimum", f"=MIN({dscr})", (*debt, "min_dscr"),
                       "ratio", "lowest yearly DSCR"),
                Result("avg_dscr", "DSCR, average", f"=AVERAGE({dscr})", (*debt, "avg_dscr"),
                       "ratio", "mean of the yearly DSCRs"),
                Result("min_llcr", "LLCR, minimum", f"=MIN({llcr})", (*debt, "min_llcr"),
                       "ratio", "lowest yearly LLCR"),
                Result("min_plcr", "PLCR, minimum", f"=MIN({llcr})", (*debt, "min_plcr"),
                       "ratio", "the loan runs to the end of the project: PLCR = LLCR"),
            ]  # fmt: skip
        rows += [
            self.irr("project_irr", "Project IRR", "project_flow", ("ppp", "project_irr"),
                     ("ppp", "project_irr_note"), "IRR of the project company flow"),
            self.irr("equity_irr", "Equity IRR", "equity_flow", ("ppp", "equity_irr"),
                     ("ppp", "equity_irr_note"), "IRR of the equity flow"),
        ]  # fmt: skip
        return rows

    def dscr(self) -> list[Result]:
        start, rows = self.source.first_operating_period, []
        for offset, value in enumerate(self.source.ppp["debt"]["dscr"]):
            if value is None:
                continue
            period = start + offset
            year = self.source.years[period]
            cfads = self.layout.cell("cfads", period)
            service = self.layout.cell("service", period)
            rows.append(
                Result(f"dscr_{year}", f"DSCR {year}", f"={cfads}/{service}",
                       ("ppp", "debt", "dscr", str(offset)), "ratio",
                       "CFADS / debt service of the year")
            )  # fmt: skip
        return rows
