"""VAT, working capital and profit tax of a run's FINANCIAL analysis, from snapshot to
layout (the pure maths: :mod:`appraisal.finance.financial_taxes`).

A project's ``assumptions["taxes"]`` (or the run form, which overrides them) may set
``vat_rate`` (decimal), ``vat_recoverable`` and ``lines_include_vat`` (booleans),
``profit_tax_rate`` (decimal), ``tax_life`` (years) and ``receivable_days``,
``stock_days``, ``payable_days``. A snapshot keeps each with its source; a run with
none of them has no ``"taxes"`` method and its financial analysis is the plain one.
"""

from __future__ import annotations

from collections.abc import Mapping

from appraisal.analysis.cashflows import YearlyFlows
from appraisal.analysis.cba import Financing
from appraisal.finance.financial_taxes import (
    GUIDE_SOURCE,
    FinancialTerms,
    TaxedFlows,
    fnpv_lines,
    taxed_flows,
)
from appraisal.finance.taxed_analysis import after_tax

__all__ = ["TAX_KEYS", "fnpv_lines_of", "taxes_layout", "taxes_of", "terms_from"]

#: The keys of ``assumptions["taxes"]`` and their defaults when another one is set.
TAX_KEYS: dict[str, object] = {
    "vat_rate": 0.0,
    "vat_recoverable": True,
    "lines_include_vat": False,
    "profit_tax_rate": 0.0,
    "tax_life": 20,
    "receivable_days": 0.0,
    "stock_days": 0.0,
    "payable_days": 0.0,
}
_FLAGS = ("vat_recoverable", "lines_include_vat")
_MOVES = ("vat_rate", "profit_tax_rate", "receivable_days", "stock_days", "payable_days")


def taxes_of(given: Mapping, form: Mapping | None = None) -> dict | None:
    """The snapshot part: each term with its value and source (``form``: the terms the
    run form set); None when no term moves a figure (no VAT rate, tax rate or days)."""
    if not any(given.get(k) for k in _MOVES):
        return None
    out = {}
    for key, default in TAX_KEYS.items():
        value = given.get(key)
        if value is None:
            out[key] = {"value": default, "source": "default assumption"}
        else:
            source = "run form" if key in (form or {}) else "project assumption"
            out[key] = {"value": value, "source": source}
    return out


def terms_from(snap: Mapping) -> FinancialTerms | None:
    """The run's terms, None when it has none.

    Raises
    ------
    InvalidParameterError
        A rate outside 0..1, a tax life that is not whole years, days outside 0..365
        (the last when the working capital is computed).
    """
    spec = (snap.get("methods") or {}).get("taxes")
    if not spec:
        return None
    value = {k: v["value"] for k, v in spec.items()}
    for flag in _FLAGS:
        value[flag] = bool(value[flag])
    life = value["tax_life"]
    if isinstance(life, float) and life.is_integer():
        value["tax_life"] = int(life)
    return FinancialTerms(**value)


def fnpv_lines_of(snap: Mapping, flows: YearlyFlows) -> dict | None:
    """The FNPV/C lines of ``flows`` with the run's VAT and working capital, for its
    sensitivity, scenarios and Monte Carlo (None when the run has no such terms: the
    flows' own lines)."""
    terms = terms_from(snap)
    return None if terms is None else fnpv_lines(taxed_flows(flows, terms))


def taxes_layout(spec: Mapping, taxed: TaxedFlows, financing: Financing, rate: float) -> dict:
    """The ``methods.taxes`` part of a run: the terms, the yearly lines and FNPV/K after tax."""
    k = after_tax(taxed, financing, rate)
    terms = taxed.terms
    vat = (
        "as entered"
        if terms.vat_rate == 0 or terms.vat_recoverable != terms.lines_include_vat
        else ("net of VAT (divided by 1 + rate)" if terms.vat_recoverable else
              "costs gross of VAT (x 1 + rate)")
    )  # fmt: skip
    return {
        "terms": dict(spec),
        "vat_treatment": vat,
        "capex": taxed.flows.capex.tolist(),
        "replacement": taxed.flows.replacement.tolist(),
        "fixed_opex": taxed.flows.fixed_opex.tolist(),
        "variable_opex": taxed.flows.variable_opex.tolist(),
        "revenue": taxed.flows.revenue.tolist(),
        "working_capital": taxed.working_capital.level.tolist(),
        "working_capital_investment": taxed.working_capital.investment.tolist(),
        "depreciation": taxed.tax.depreciation.tolist(),
        "taxable_profit": taxed.tax.taxable.tolist(),
        "profit_tax": taxed.tax.tax.tolist(),
        "fnpv_k_after_tax": k.fnpv_k,
        "frr_k_after_tax": k.frr_k,
        "frr_k_after_tax_note": k.frr_k_note,
        "rate": rate,
        "source": GUIDE_SOURCE,
    }
