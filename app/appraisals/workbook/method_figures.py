"""The figures of a run's methods on the "Results" sheet, each a formula over the
"Inputs" and "Cash flows" sheets (and other figures, as ``<key>``), beside the value
the platform computed: the residual value by the PV of net flows, the flat-rate
funding gap, the Fisher nominal rate, the scenarios, VAT / working capital / profit tax.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.appraisals.inputs import VARIABLE_LINES
from app.appraisals.workbook.cells import Layout
from app.appraisals.workbook.figures import Result
from app.appraisals.workbook.flows import ECONOMIC_LINES
from app.appraisals.workbook.method_columns import carbon_variants, scenario_name
from app.appraisals.workbook.source import WorkbookSource

__all__ = ["method_sections"]

_VARIABLE_OF = {line: v for v, lines in VARIABLE_LINES.items() for line in lines}
_SIGNED = {"capex": "-", "replacement": "-", "fixed_opex": "-", "variable_opex": "-",
           "revenue": "+", "residual": "+"}  # fmt: skip


def _residual(layout: Layout, m: Mapping) -> list[Result]:
    last = layout.years - 1
    rev, fix, var = (layout.range(k) for k in ("revenue", "fixed_opex", "variable_opex"))
    operating = f"MAX(1,SUMPRODUCT(--((({rev}>0)+(({fix}+{var})>0))>0)))"
    yearly = (
        f"={layout.cell('revenue', last)}-{layout.cell('fixed_opex', last)}"
        f"-{layout.cell('variable_opex', last)}-SUM({layout.range('replacement')})/{operating}"
    )
    field = ("methods", "residual")
    return [
        Result("rv_yearly", "Residual value: yearly net flow after the period", yearly,
               (*field, "yearly_net_flow"), "money",
               "last year's revenue - opex, less the replacements spread over the operating "
               "years"),
        Result("rv_value", "Residual value: PV of net flows after the period",
               "=MAX(0,<rv_yearly>*IF(FDR=0,ResidualLife,(1-(1+FDR)^-ResidualLife)/FDR))",
               (*field, "value"), "money",
               "yearly net flow x annuity factor at FDR over the remaining life, floored at 0"),
    ]  # fmt: skip


def _flat_rate(layout: Layout) -> list[Result]:
    field = ("methods", "flat_rate")
    return [
        Result("fr_decision", "Flat rate: decision amount",
               f"=SUM({layout.range('capex')})*(1-FlatRate)", (*field, "decision_amount"),
               "money", "eligible cost (total capex) x (1 - flat rate)"),
        Result("fr_grant", "Flat rate: EU grant", "=<fr_decision>*CofinRate",
               (*field, "grant"), "money", "decision amount x co-financing rate"),
    ]  # fmt: skip


def _scenarios(source: WorkbookSource, layout: Layout, m: Mapping) -> list[Result]:
    lines_pv = source.results["economic"]["lines_pv"]
    rows = []
    for i, case in enumerate(m["cases"]):

        def mult(line: str, i=i) -> str:
            variable = _VARIABLE_OF.get(line)
            return "1" if variable is None else scenario_name(i, variable)

        terms = [
            f"{mult(line)}*<pv_{column}>"
            for column, line in ECONOMIC_LINES.items()
            if column in layout and lines_pv.get(line)
        ]
        rows.append(
            Result(f"sc_enpv_{i}", f"Scenario {case['name']}: ENPV", "=" + "+".join(terms),
                   ("methods", "scenarios", "cases", str(i), "enpv"), "money",
                   "each economic line's PV x its variable's multiplier")
        )  # fmt: skip
        taxed = "wc_inv" in layout  # VAT and working capital: the lines of the base FNPV/C
        fin = "".join(
            f"{sign}{mult(line)}*({_real_pv(source, layout, line, taxed)})"
            for line, sign in _SIGNED.items()
        )
        if taxed:  # each line's part of the change in working capital scales with it
            p = "d_" if m_nominal(source) else ""  # in current prices: on the deflated lines
            wc_rev, wc = (
                layout.present_value(f"{p}wc_rev_inv", "FDR"),
                layout.present_value(f"{p}wc_inv", "FDR"),
            )
            fin += f"-{mult('revenue')}*({wc_rev})-{mult('fixed_opex')}*({wc}-({wc_rev}))"
        rows.append(
            Result(f"sc_fnpv_{i}", f"Scenario {case['name']}: FNPV/C", "=" + fin,
                   ("methods", "scenarios", "cases", str(i), "fnpv_c"), "money",
                   "each financial line's PV at FDR x its multiplier"
                   + (", less its part of the change in working capital" if taxed else "")
                   + (" (in constant prices: deflated by its group's index)"
                      if m_nominal(source) else ""))
        )  # fmt: skip
        rows.append(_scenario_bcr(layout, i, case["name"], mult))
    return rows


def _scenario_bcr(layout: Layout, i: int, name: str, mult) -> Result:
    """B/C of a scenario: each line's positive and negative amounts scale with its
    multiplier (a multiplier is never negative), so B/C is the ratio of the sums of
    multiplier x PV of each line's positive (negative) amounts, as the engine's."""
    sdf = layout.range("sdf")

    def part(sign: str) -> str:
        return "+".join(
            f"{mult(line)}*SUMPRODUCT(({sign}{layout.range(column)}>0)*({sign}"
            f"{layout.range(column)}),{sdf})"
            for column, line in ECONOMIC_LINES.items()
            if column in layout
        )

    return Result(f"sc_bcr_{i}", f"Scenario {name}: B/C ratio", f"=({part('')})/({part('-')})",
                  ("methods", "scenarios", "cases", str(i), "bcr"), "ratio",
                  "PV of each line's positive amounts x its multiplier / the same of the "
                  "negative amounts, at SDR")  # fmt: skip


_GROUP_INFLATION = {"capex": "InflCapex", "replacement": "InflCapex", "residual": "InflCapex",
                    "fixed_opex": "InflOpex", "variable_opex": "InflOpex",
                    "revenue": "InflRevenue"}  # fmt: skip


def _real_pv(source: WorkbookSource, layout: Layout, line: str, taxed: bool = False) -> str:
    """A financial line's PV at FDR (``taxed``: its VAT-treated column); a run in current
    prices deflates it first by its group's index from the price base year (the
    scenarios run in constant prices)."""
    column = f"f_{line}" if taxed and f"f_{line}" in layout else line
    if not m_nominal(source):
        return layout.present_value(column, "FDR")
    years, periods = layout.range("year"), layout.range("t")
    return (f"SUMPRODUCT({layout.range(column)}/(1+{_GROUP_INFLATION[line]})^({years}"
            f"-PriceBaseYear)/(1+FDR)^{periods})")  # fmt: skip


def _taxes(source: WorkbookSource, layout: Layout, starts: Mapping[str, str]) -> list[Result]:
    field = ("methods", "taxes")
    start, last = source.first_operating_period, layout.years - 1
    rows = [
        Result("fnpv_k_after_tax", "FNPV/K after profit tax",
               "=" + layout.present_value("k_after_tax", "FDRN" if m_nominal(source) else "FDR"),
               (*field, "fnpv_k_after_tax"),
               "money", "flow on capital less the profit tax, discounted at FDR"),
        Result("frr_k_after_tax", "FRR/K after profit tax",
               f"=IRR({layout.range('k_after_tax')},<guess>)", (*field, "frr_k_after_tax"),
               "rate", "IRR of the flow on capital less the profit tax",
               note_field=(*field, "frr_k_after_tax_note"), guess="=" + starts["k_after_tax"]),
    ]  # fmt: skip
    for key, label, periods in (
        ("working_capital", "Net working capital", (start,)),
        ("working_capital_investment", "Change in working capital", (start, last)),
        ("depreciation", "Tax depreciation", (start,)),
        ("profit_tax", "Profit tax", (start, last)),
    ):
        column = {"working_capital": "wc_level", "working_capital_investment": "wc_inv",
                  "profit_tax": "tax"}.get(key, key)  # fmt: skip
        for period in sorted(set(periods)):
            if period > last:
                continue
            year = source.years[period]
            rows.append(
                Result(f"{column}_{year}", f"{label} {year}", "=" + layout.cell(column, period),
                       (*field, key, str(period)), "money", "the Cash flows column's year")
            )  # fmt: skip
    return rows


def m_nominal(source: WorkbookSource) -> bool:
    return bool((source.results.get("methods") or {}).get("nominal"))


def _vfm(source: WorkbookSource, layout: Layout) -> list[Result]:
    risks = (source.results.get("ppp") or {}).get("risks") or {}
    rows = []
    if risks.get("register"):
        field = ("ppp", "risks", "register")
        rows += [
            Result("reg_tr", "Risk register: expected cost transferred", "=RegTransferable",
                   (*field, "transferable_expected"), "money",
                   "sum of p x (low + most likely + high) / 3 of the transferred risks"),
            Result("reg_rr", "Risk register: expected cost retained", "=RegRetained",
                   (*field, "retained_expected"), "money", "the same, risks the public side keeps"),
            Result("reg_total", "Risk register: expected cost", "=<reg_tr>+<reg_rr>",
                   (*field, "expected"), "money", "transferred + retained"),
        ]  # fmt: skip
    if risks.get("optimism_bias"):
        rows.append(
            Result("ob_uplift", "Optimism bias uplift", f"=SUM({layout.range('capex')})*OBRate",
                   ("ppp", "risks", "optimism_bias", "uplift"), "money",
                   "total capex x the Green Book (Mott MacDonald 2002) rate")
        )  # fmt: skip
    return rows


def method_sections(
    source: WorkbookSource, layout: Layout, starts: Mapping[str, str]
) -> list[tuple[str, list[Result]]]:
    """Headings and figures of the run's methods (none without methods); ``starts``: the
    cell where each IRR starts its iteration (see :mod:`.irr_start`)."""
    m = source.results.get("methods") or {}
    sections = []
    if m.get("residual"):
        sections.append(("Residual value by the PV of net flows (EU CBA Guide 2014, 2.8.2)",
                         _residual(layout, m["residual"])))  # fmt: skip
    if m.get("flat_rate"):
        sections.append(("Flat-rate net revenue (Reg. 1303/2013, Annex V)", _flat_rate(layout)))
    if m.get("nominal"):
        sections.append(("Current prices: Fisher nominal rate", [
            Result("fisher", "Financial discount rate, nominal",
                   "=(1+FDR)*(1+GeneralInflation)-1", ("methods", "nominal", "financial_nominal"),
                   "rate", "(1 + real rate) x (1 + general inflation) - 1"),
        ]))  # fmt: skip
    variants = carbon_variants(source)
    if variants and source.results["economic"]["lines_pv"].get("co2"):
        labels = [item["label"] for item in m["carbon_variants"]["variants"]]
        sections.append(("Carbon price variants", [
            Result(f"cv_enpv{i}", f"ENPV, {label} carbon price",
                   "=<enpv>-<pv_e_co2>+" + layout.present_value(f"cv_value{i}", "SDR"),
                   ("methods", "carbon_variants", "variants", str(labels.index(label)), "enpv"),
                   "money", "ENPV with the CO2 line valued at this path instead")
            for i, (label, _) in enumerate(variants, start=1)
        ]))  # fmt: skip
    if m.get("scenarios"):
        sections.append(("Scenarios", _scenarios(source, layout, m["scenarios"])))
    if m.get("vfm_risks") or (source.results.get("ppp") or {}).get("risks"):
        sections.append(("PPP: risk register and optimism bias", _vfm(source, layout)))
    if m.get("taxes"):
        sections.append(("VAT, working capital and profit tax (EU CBA Guide 2014, 2.5)",
                         _taxes(source, layout, starts)))  # fmt: skip
    return sections
