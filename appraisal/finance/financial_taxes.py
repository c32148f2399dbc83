"""VAT, working capital and profit tax in the FINANCIAL analysis.

The EU Guide to Cost-Benefit Analysis of Investment Projects (2014), section 2.5
(financial analysis; recalled, not re-read for this module: a search of the stored
public pages found copies of its title page only, and of the 2008 edition's Table 2.1,
whose flattened text lists the lines but not which column marks them), says:

* **VAT**: the financial flows are net of VAT when the operator recovers it and gross
  when it does not (non-recoverable VAT is a real cost to it). A project's lines may be
  entered including VAT (``lines_include_vat``) or net of it; :func:`vat_adjusted` turns
  them into what the operator pays and keeps:

  ===================  ==================================  ==============================
  lines entered        VAT recoverable                     VAT not recoverable
  ===================  ==================================  ==============================
  including VAT        every line / (1 + v)                as entered
  net of VAT           as entered                          costs x (1 + v), revenue as is
  ===================  ==================================  ==============================

  (an operator that recovers input VAT charges output VAT on its revenue and pays it
  over; one that does not recover it charges none).
* **Working capital**: the change in net working capital is an investment cost each
  year, recovered at the end of the period (:mod:`appraisal.finance.working_capital`).
  It enters FNPV/C, FNPV/K and the sustainability test; the funding gap (Regulation (EU)
  No 480/2014, Articles 15-19, on revenue less operating and replacement costs) is
  computed without it here.
* **Direct (profit) tax**: FNPV/C and FNPV/K are computed before direct taxes, which
  count only in the financial sustainability test; for the private side (an operator
  that pays profit tax) the return on its capital is also shown after tax. The tax of
  a year is ``rate x max(0, revenue - opex - depreciation)``, the depreciation straight
  line over ``tax_life`` years from the year after each capex or replacement (no loss
  carried forward: an exact, simple rule, said on the page).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from appraisal.analysis.cashflows import YearlyFlows
from appraisal.errors import InvalidParameterError
from appraisal.finance.working_capital import WorkingCapital, working_capital

__all__ = [
    "FinancialTerms",
    "ProfitTax",
    "TaxedFlows",
    "fnpv_lines",
    "profit_tax",
    "taxed_flows",
    "vat_adjusted",
]

GUIDE_SOURCE = (
    "EU Guide to Cost-Benefit Analysis of Investment Projects (2014), section 2.5, "
    "financial analysis: flows net of recoverable VAT, gross of non-recoverable VAT; "
    "changes in working capital among the investment costs; direct taxes in the "
    "sustainability test only (recalled, not checked against the text; its 2008 edition, "
    "section 2.4, Table 2.1 'Financial analysis at a glance', read in a copy: changes in "
    "working capital among the total investment costs, taxes among the other outflows)"
)

_COSTS = ("capex", "replacement", "fixed_opex", "variable_opex")


def _rate(value, name: str, high: float = 1.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidParameterError(f"{name} is {value!r}; give a decimal rate, e.g. 0.2")
    if not 0 <= value <= high:
        raise InvalidParameterError(f"{name} is {value!r}; give a rate between 0 and {high:g}")
    return float(value)


@dataclass(frozen=True)
class FinancialTerms:
    """VAT, profit tax and working-capital terms of a project (rates as decimals)."""

    vat_rate: float = 0.0
    vat_recoverable: bool = True
    lines_include_vat: bool = False
    profit_tax_rate: float = 0.0
    tax_life: int = 20
    receivable_days: float = 0.0
    stock_days: float = 0.0
    payable_days: float = 0.0

    def __post_init__(self) -> None:
        _rate(self.vat_rate, "vat_rate")
        _rate(self.profit_tax_rate, "profit_tax_rate")
        life = self.tax_life
        if isinstance(life, bool) or not isinstance(life, int) or not 1 <= life <= 100:
            raise InvalidParameterError(f"tax_life is {life!r}; give whole years from 1 to 100")


def vat_adjusted(flows: YearlyFlows, terms: FinancialTerms) -> YearlyFlows:
    """The lines as the operator pays and keeps them (see the table in the module).

    Examples
    --------
    >>> from appraisal.analysis.cashflows import ProjectInputs, build_flows
    >>> f = build_flows(ProjectInputs(2025, 3, [120.0], fixed_opex=12.0, other_revenue=24.0))
    >>> g = vat_adjusted(f, FinancialTerms(0.2, vat_recoverable=True, lines_include_vat=True))
    >>> g.capex.tolist(), g.fixed_opex.tolist(), g.revenue.tolist()
    ([100.0, 0.0, 0.0], [0.0, 10.0, 10.0], [0.0, 20.0, 20.0])
    >>> h = vat_adjusted(f, FinancialTerms(0.2, vat_recoverable=False))
    >>> h.capex.tolist(), h.revenue.tolist()
    ([144.0, 0.0, 0.0], [0.0, 24.0, 24.0])
    """
    v = terms.vat_rate
    if v == 0 or terms.vat_recoverable != terms.lines_include_vat:
        return flows  # net and recoverable, or gross and not recoverable: as entered
    if terms.vat_recoverable:  # entered including VAT, recovered: all net of it
        lines = (*_COSTS, "revenue")
        return replace(flows, **{k: getattr(flows, k) / (1.0 + v) for k in lines})
    return replace(flows, **{k: getattr(flows, k) * (1.0 + v) for k in _COSTS})


@dataclass(frozen=True)
class ProfitTax:
    depreciation: np.ndarray
    taxable: np.ndarray  # revenue - opex - depreciation, floored at 0
    tax: np.ndarray


def profit_tax(flows: YearlyFlows, rate: float, tax_life: int) -> ProfitTax:
    """The yearly profit tax: ``rate x max(0, revenue - opex - depreciation)``.

    Examples
    --------
    >>> from appraisal.analysis.cashflows import ProjectInputs, build_flows
    >>> f = build_flows(ProjectInputs(2025, 4, [100.0], fixed_opex=10.0, other_revenue=60.0))
    >>> t = profit_tax(f, 0.25, 2)  # depreciation 50 in years 1 and 2
    >>> t.taxable.tolist(), t.tax.tolist()
    ([0.0, 0.0, 0.0, 50.0], [0.0, 0.0, 0.0, 12.5])
    """
    _rate(rate, "profit_tax_rate")
    n = flows.years.size
    invested = flows.capex + flows.replacement
    depreciation = np.zeros(n)
    for year in np.flatnonzero(invested):
        depreciation[year + 1 : year + 1 + tax_life] += invested[year] / tax_life
    taxable = np.maximum(0.0, flows.revenue - flows.opex - depreciation)
    return ProfitTax(depreciation=depreciation, taxable=taxable, tax=taxable * rate)


@dataclass(frozen=True)
class TaxedFlows:
    """The flows of the financial analysis with VAT, working capital and profit tax."""

    flows: YearlyFlows  # VAT-adjusted lines
    working_capital: WorkingCapital
    tax: ProfitTax
    terms: FinancialTerms

    @property
    def extra_costs(self) -> np.ndarray:
        """What the operator pays beyond the lines: working capital and profit tax."""
        return self.working_capital.investment + self.tax.tax

    @property
    def net(self) -> np.ndarray:
        """The FNPV/C flow: the VAT-adjusted net flow less the working capital (before tax)."""
        return self.flows.net - self.working_capital.investment


def taxed_flows(flows: YearlyFlows, terms: FinancialTerms) -> TaxedFlows:
    """VAT first, then working capital and profit tax on the VAT-adjusted lines.

    Examples
    --------
    >>> from appraisal.analysis.cashflows import ProjectInputs, build_flows
    >>> f = build_flows(ProjectInputs(2025, 4, [100.0], fixed_opex=36.5, other_revenue=73.0))
    >>> t = taxed_flows(f, FinancialTerms(receivable_days=30, payable_days=20))
    >>> t.net.round(2).tolist()
    [-100.0, 32.5, 36.5, 40.5]
    """
    adjusted = vat_adjusted(flows, terms)
    wc = working_capital(
        adjusted,
        receivable_days=terms.receivable_days,
        stock_days=terms.stock_days,
        payable_days=terms.payable_days,
    )
    tax = profit_tax(adjusted, terms.profit_tax_rate, terms.tax_life)
    return TaxedFlows(adjusted, wc, tax, terms)


_WC_LINES = ("revenue", "fixed_opex", "variable_opex")


def fnpv_lines(taxed: TaxedFlows) -> dict[str, np.ndarray]:
    """The signed lines of the FNPV/C flow with VAT and working capital, for the
    sensitivity, the scenarios and Monte Carlo: each VAT-adjusted line less the change
    in working capital it causes (the working capital is linear in revenue and opex, so
    a line's multiplier scales its part too); they add up to :attr:`TaxedFlows.net`.

    Examples
    --------
    >>> from appraisal.analysis.cashflows import ProjectInputs, build_flows
    >>> f = build_flows(ProjectInputs(2025, 4, [100.0], fixed_opex=36.5, other_revenue=73.0))
    >>> t = taxed_flows(f, FinancialTerms(receivable_days=30, payable_days=20))
    >>> lines = fnpv_lines(t)
    >>> lines["revenue"][1:].round(2).tolist(), lines["fixed_opex"][1:].round(2).tolist()
    ([67.0, 73.0, 79.0], [-34.5, -36.5, -38.5])
    >>> bool(np.allclose(sum(lines.values()), t.net))
    True
    """
    flows, terms = taxed.flows, taxed.terms
    lines = flows.signed_lines()
    zero = np.zeros(flows.years.size)
    for line in _WC_LINES:
        alone = replace(flows, **{k: getattr(flows, k) if k == line else zero for k in _WC_LINES})
        part = working_capital(
            alone,
            receivable_days=terms.receivable_days,
            stock_days=terms.stock_days,
            payable_days=terms.payable_days,
        )
        lines[line] = lines[line] - part.investment
    return lines
