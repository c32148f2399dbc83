"""The methods of a run in its workbook: their inputs (named cells of the "Inputs" sheet)
and the "Cash flows" columns of VAT, working capital and profit tax.

A run with ``methods.taxes`` (app.appraisals.choices.taxes) gets the VAT-treated lines,
the working capital and the profit tax as formula columns, and its financial columns
read those lines and count the change in working capital, as the engine does
(:mod:`appraisal.finance.taxed_analysis`); in current prices also those lines deflated
and their working capital, which the scenarios' FNPV/C reads (the scenarios run in
constant prices).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from app.appraisals.workbook.cells import RATE, Column, per_unit_format
from app.appraisals.workbook.inputs import FLAG, YEARS, Entry
from app.appraisals.workbook.method_inputs import economic_entries, vfm_entries
from app.appraisals.workbook.source import Carbon, WorkbookSource
from appraisal.analysis.parameters import carbon_price_variants
from appraisal.analysis.price_base import convert_cost

__all__ = [
    "TAXED",
    "carbon_columns",
    "carbon_variants",
    "is_nominal",
    "method_entries",
    "scenario_name",
    "tax_columns",
    "with_economic",
    "with_nominal",
    "with_taxes",
]

CARBON = "Carbon price variants (the paths: data; the CO2 valued: formulas)"
TAXED = "Financial lines with VAT, working capital and profit tax (formulas)"
DAYS = '0.0 "days"'
_FINANCIAL_LINES = ("capex", "replacement", "fixed_opex", "variable_opex", "revenue")


def _methods(source: WorkbookSource) -> Mapping:
    return source.inputs.get("methods") or {}


def _tax_entries(taxes: Mapping) -> list[Entry]:
    def term(key: str, label: str, fmt: str, name: str, unit: str = "") -> Entry:
        item = taxes[key]
        value = item["value"]
        value = int(bool(value)) if fmt == FLAG else (int(value) if fmt == YEARS else value)
        return Entry(label, float(value) if fmt in (RATE, DAYS) else value, fmt, unit, name,
                     item["source"])  # fmt: skip

    return [
        term("vat_rate", "VAT rate", RATE, "VatRate", "decimal"),
        term("vat_recoverable", "VAT recoverable by the operator", FLAG, "VatRecoverable"),
        term("lines_include_vat", "Lines entered including VAT", FLAG, "LinesIncludeVat"),
        Entry(
            "Factor on the cost lines (financial analysis)",
            "=IF(AND(VatRecoverable=1,LinesIncludeVat=1),1/(1+VatRate),"
            "IF(AND(VatRecoverable=0,LinesIncludeVat=0),1+VatRate,1))",
            "0.000000",
            "x the line",
            "VatCostFactor",
            "net of recoverable VAT, gross of non-recoverable VAT (EU CBA Guide 2014, 2.5)",
        ),
        Entry(
            "Factor on revenue (financial analysis)",
            "=IF(AND(VatRecoverable=1,LinesIncludeVat=1),1/(1+VatRate),1)",
            "0.000000",
            "x the line",
            "VatRevenueFactor",
            "an operator that recovers VAT pays over the output VAT it charges",
        ),
        Entry("Days a year", 365, DAYS, "", "DaysAYear", "working capital in days of a year"),
        term("receivable_days", "Receivables", DAYS, "RecvDays", "days of revenue"),
        term("stock_days", "Stock", DAYS, "StockDays", "days of opex"),
        term("payable_days", "Payables", DAYS, "PayDays", "days of opex"),
        term("profit_tax_rate", "Profit tax rate", RATE, "TaxRate", "decimal"),
        term("tax_life", "Tax depreciation life (straight line)", YEARS, "TaxLife"),
    ]


_INFLATION_NAMES = {
    "capex": "InflCapex",
    "opex": "InflOpex",
    "revenue": "InflRevenue",
    "benefits": "InflBenefits",
}
_DEFLATED = {
    "e_capex": "InflCapex",
    "e_replacement": "InflCapex",
    "e_residual": "InflCapex",
    "e_fixed_opex": "InflOpex",
    "e_variable_opex": "InflOpex",
    "e_revenue": "InflRevenue",
    "e_benefit": "InflBenefits",
    "e_externality": "InflBenefits",
}


def is_nominal(source: WorkbookSource) -> bool:
    return bool((source.results.get("methods") or {}).get("nominal"))


def with_nominal(columns: list[Column], source: WorkbookSource) -> list[Column]:
    """A run in current prices: each economic line deflated by its group's index from the
    price base year, as the engine's economic analysis runs (unchanged otherwise)."""
    if not is_nominal(source):
        return columns
    out = []
    for column in columns:
        name = _DEFLATED.get(column.key)
        if name:
            formula = f"=({column.formula[1:]})/(1+{name})^({{year}}-PriceBaseYear)"
            column = replace(column, formula=formula)
        out.append(column)
    return out


def with_economic(columns: list[Column], source: WorkbookSource) -> list[Column]:
    """The economic columns at the method's factors (labour by category, VAT and
    subsidies removed) when the run chose them (unchanged otherwise)."""
    if not _methods(source).get("economic"):
        return columns
    swaps = {
        "e_capex": ("*SCF", "*CapexCFM"),
        "e_replacement": ("*SCF", "*CapexCFM"),
        "e_fixed_opex": ("*OpexCF", "*OpexCFM"),
        "e_variable_opex": ("*OpexCF", "*OpexCFM"),
        "e_revenue": ("*SCF", "*RevenueCFM"),
    }
    out = []
    for column in columns:
        if column.key in swaps:
            old, new = swaps[column.key]
            column = replace(column, formula=column.formula.replace(old, new))
        out.append(column)
    return out


def carbon_variants(source: WorkbookSource) -> list[tuple[str, Carbon]]:
    """(label, path in the project's prices) of each carbon variant the run shows (none
    without CO2, in current prices, or without the method)."""
    variants = ((source.results.get("methods") or {}).get("carbon_variants") or {}).get("variants")
    nominal = source.inputs["project"]["price_basis"] == "nominal"
    if not variants or source.carbon is None or nominal:
        return []
    paths = carbon_price_variants(source.inputs["parameter_set"]["name"])
    out = []
    for item in variants:
        path = paths[item["label"]]
        conversion = convert_cost(
            1.0,
            path.currency,
            path.price_base_year,
            to_currency=source.currency,
            to_year=source.price_base_year,
        )
        prices = [float(p) for p in path.price(np.asarray(source.years))]
        out.append((item["label"], Carbon(prices, path.currency, path.price_base_year,
                                          conversion)))  # fmt: skip
    return out


def carbon_columns(source: WorkbookSource, money: str) -> list[Column]:
    """Each variant's carbon price path (data) and the CO2 valued at it (formula)."""
    columns = []
    for i, (label, carbon) in enumerate(carbon_variants(source), start=1):
        columns += [
            Column(f"cv_path{i}", f"Carbon price, {label} path",
                   f"{carbon.path_currency}/tCO2e, constant {carbon.path_price_base_year} "
                   "prices", per_unit_format(carbon.path_currency, "tCO2e"), CARBON,
                   values=carbon.path_prices),
            Column(f"cv_value{i}", f"CO2 avoided, valued at the {label} path",
                   f"{source.currency}, shadow prices", money, CARBON,
                   formula=f"={{co2_tonnes}}*{{cv_path{i}}}*CarbonFactorV{i}"),
        ]  # fmt: skip
    return columns


def scenario_name(case: int, variable: str) -> str:
    """The defined name of a scenario's multiplier, e.g. ``Scenario1Capex``."""
    return f"Scenario{case + 1}{variable.capitalize()}"


def method_entries(source: WorkbookSource) -> list[tuple[str, list[Entry]]]:
    """The "Inputs" sections of the run's methods (none without methods)."""
    methods, results = _methods(source), source.results.get("methods") or {}
    sections = []
    residual = results.get("residual")
    if residual:
        sections.append(("Residual value: PV of net flows after the period", [
            Entry("Remaining economic life after the period", int(residual["remaining_life"]),
                  YEARS, "", "ResidualLife", residual["source"]),
        ]))  # fmt: skip
    flat = results.get("flat_rate")
    if flat:
        sections.append(("Flat-rate net revenue", [
            Entry(f"Flat rate, sector {flat['sector']}", flat["flat_rate"], RATE, "decimal",
                  "FlatRate", flat["source"]),
        ]))  # fmt: skip
    nominal = results.get("nominal")
    if nominal:
        general, given = nominal["inflation"]["general"], nominal["inflation"]
        sections.append(("Current prices", [
            Entry("General inflation", general["value"], RATE, "decimal a year",
                  "GeneralInflation", general["source"]),
            Entry("Financial discount rate, nominal (Fisher)", "=(1+FDR)*(1+GeneralInflation)-1",
                  RATE, "decimal a year", "FDRN",
                  "the financial analysis of a run in current prices discounts at it"),
            *[Entry(f"Inflation of the {group} lines", rate, RATE, "decimal a year",
                    _INFLATION_NAMES[group],
                    given[group]["source"] if group in given else "the general rate")
              for group, rate in nominal["rates"].items()],
        ]))  # fmt: skip
    if methods.get("vfm_risks") and (source.results.get("ppp") or {}).get("risks"):
        sections.append(("PPP: risk register and optimism bias",
                         vfm_entries(methods["vfm_risks"], source.results)))  # fmt: skip
    if methods.get("economic"):
        sections.append(("Economic analysis: labour by category, VAT and subsidies removed",
                         economic_entries(methods["economic"])))  # fmt: skip
    variants = carbon_variants(source)
    if variants:
        sections.append(("Carbon price variants", [
            Entry(f"Carbon price conversion, {label} path", carbon.factor, "0.000000000",
                  f"{source.currency} {source.price_base_year} per {carbon.path_currency} "
                  f"{carbon.path_price_base_year}", f"CarbonFactorV{i}",
                  carbon.conversion.explain().replace("\n", " "))
            for i, (label, carbon) in enumerate(variants, start=1)
        ]))  # fmt: skip
    scenarios = results.get("scenarios")
    if scenarios:
        entries = [
            Entry(f"Scenario {case['name']}: {variable} multiplier",
                  float(case["multipliers"].get(variable, 1.0)), "0.000", "x the base",
                  scenario_name(i, variable),
                  "illustrative" if scenarios.get("illustrative") else "project assumption")
            for i, case in enumerate(scenarios["cases"])
            for variable in ("capex", "opex", "revenue", "benefits")
        ]  # fmt: skip
        sections.append(("Scenarios", entries))
    if methods.get("taxes"):
        sections.append(("Financial analysis: VAT, working capital, profit tax",
                         _tax_entries(methods["taxes"])))  # fmt: skip
    return sections


def tax_columns(source: WorkbookSource, money: str, basis: str) -> list[Column]:
    """The VAT-treated lines, working capital and profit tax (none without taxes)."""
    if not _methods(source).get("taxes"):
        return []
    columns = [
        Column(f"f_{line}", f"{line.replace('_', ' ').capitalize()} (VAT treated)", basis,
               money, TAXED,
               formula=f"={{{line}}}*" + ("VatRevenueFactor" if line == "revenue"
                                          else "VatCostFactor"))
        for line in _FINANCIAL_LINES
    ]  # fmt: skip
    return columns + _working_capital_columns("", "", basis, money) + [
        Column("depreciation", "Tax depreciation", basis, money, TAXED,
               formula="=SUMPRODUCT(({t*}<{t})*({t*}>={t}-TaxLife)*({f_capex*}"
                       "+{f_replacement*}))/TaxLife"),
        Column("taxable", "Taxable profit (floored at 0)", basis, money, TAXED,
               formula="=MAX(0,{f_revenue}-{f_fixed_opex}-{f_variable_opex}-{depreciation})"),
        Column("tax", "Profit tax", basis, money, TAXED, formula="={taxable}*TaxRate"),
        *_deflated_columns(source, money),
    ]  # fmt: skip


def _working_capital_columns(prefix: str, label: str, basis: str, money: str) -> list[Column]:
    """Net working capital on the ``{prefix}f_`` lines, its yearly change (recovered in
    the last year) and the receivables part of both (a scenario scales that part with
    revenue and the rest with opex, as :func:`appraisal.finance.financial_taxes.fnpv_lines`)."""
    p = prefix
    return [
        Column(f"{p}wc_level", f"Net working capital{label}", basis, money, TAXED,
               formula=f"={{{p}f_revenue}}*RecvDays/DaysAYear+({{{p}f_fixed_opex}}"
                       f"+{{{p}f_variable_opex}})*(StockDays-PayDays)/DaysAYear"),
        Column(f"{p}wc_inv", f"Change in working capital{label} (recovered in the last year)",
               basis, money, TAXED,
               formula=f"=IF({{t}}=MAX({{t*}}),-{{{p}wc_level@prev}},{{{p}wc_level}}"
                       f"-{{{p}wc_level@prev}})",
               first=f"={{{p}wc_level}}"),
        Column(f"{p}wc_rev_level", f"Net working capital{label}: the receivables part", basis,
               money, TAXED, formula=f"={{{p}f_revenue}}*RecvDays/DaysAYear"),
        Column(f"{p}wc_rev_inv", f"Change in working capital{label}: the receivables part",
               basis, money, TAXED,
               formula=f"=IF({{t}}=MAX({{t*}}),-{{{p}wc_rev_level@prev}},{{{p}wc_rev_level}}"
                       f"-{{{p}wc_rev_level@prev}})",
               first=f"={{{p}wc_rev_level}}"),
    ]  # fmt: skip


_WC_INFLATION = {"revenue": "InflRevenue", "fixed_opex": "InflOpex", "variable_opex": "InflOpex"}


def _deflated_columns(source: WorkbookSource, money: str) -> list[Column]:
    """A run in current prices: the VAT-treated revenue and opex deflated by their group's
    index from the price base year, and the working capital on them: the scenarios run
    in constant prices, VAT and working capital on the deflated lines, as the engine
    (none in constant prices)."""
    if not is_nominal(source):
        return []
    basis = f"constant {source.price_base_year} prices"
    deflated = [
        Column(f"d_f_{line}", f"{line.replace('_', ' ').capitalize()} (VAT treated, deflated)",
               basis, money, TAXED,
               formula=f"={{f_{line}}}/(1+{name})^({{year}}-PriceBaseYear)")
        for line, name in _WC_INFLATION.items()
    ]  # fmt: skip
    return deflated + _working_capital_columns("d_", ", deflated", basis, money)


_LINE = re.compile(r"\{(capex|replacement|fixed_opex|variable_opex|revenue)(\*|@prev|>)?\}")


def with_taxes(columns: list[Column], source: WorkbookSource) -> list[Column]:
    """The financial columns reading the VAT-treated lines and counting the working
    capital, when the run has taxes (unchanged otherwise)."""
    if not _methods(source).get("taxes"):
        return columns
    out = []
    for column in columns:
        formula = _LINE.sub(lambda m: "{f_" + m.group(1) + (m.group(2) or "") + "}",
                            column.formula or "")  # fmt: skip
        if column.key in ("net", "k_flow"):
            formula += "-{wc_inv}"
        elif column.key == "cash":  # the sustainability counts the tax too
            formula += "-{wc_inv}-{tax}"
        elif column.key == "support":  # and so does the deficit the city covers
            formula = formula.replace("{loan_service})", "{loan_service}+{wc_inv}+{tax})")
        out.append(replace(column, formula=formula or None))
        if column.key == "k_flow":
            out.append(
                replace(
                    column,
                    key="k_after_tax",
                    header="Net flow on capital after profit tax (FNPV/K after tax)",
                    formula="={k_flow}-{tax}",
                )
            )
    return out
