"""The methods of a run in its workbook, recalculated by LibreOffice (see test_workbook)."""

from __future__ import annotations

import pytest

from tests.app.appraisals.test_appraisals import add_flows
from tests.app.appraisals.test_workbook import (
    _assert_recalculated_like_the_platform,
    _book,
    _extra_lines,
    _results,
    _results_rows,
    recalculated,
    soffice,
    staff,
)

__all__ = ["soffice", "staff"]  # the fixtures, used by name


def test_libreoffice_recalculates_the_methods_of_a_run(
    app, client, make_user, make_project, staff, soffice, tmp_path
):
    """The residual value by the PV of net flows, the flat rate, the scenarios, labour by
    category with VAT and subsidies removed, and VAT / working capital / profit tax
    (exact formulas of the engine): each figure a formula recalculated to the platform's
    value (and the financial figures on the VAT-treated lines with working capital)."""
    from app.appraisals.service import appraise_project

    made = make_project()
    assumptions = {
        "economic": {"labour_share_of_opex": 0.2, "skilled_share_of_opex": 0.3,
                     "unskilled_share_of_opex": 0.25, "vat_rate": 0.2,
                     "subsidy_share_of_revenue": 0.1},
        "financing": {"loan_share": 0.5, "loan_rate": 0.035, "loan_tenor": 10,
                      "operating_deficit_cover": 0.5},
        "residual": {"method": "net_flows", "remaining_life": 12},
        "flat_rate_sector": "water",
        "scenarios": True,
        "carbon_variants": True,
        "taxes": {"vat_rate": 0.2, "vat_recoverable": False, "receivable_days": 45,
                  "stock_days": 10, "payable_days": 30, "profit_tax_rate": 0.25,
                  "tax_life": 15},
    }  # fmt: skip
    add_flows(app, made.id, horizon=20, revenue=160_000.0, assumptions=assumptions)
    _extra_lines(app, made.id, 20, "120000")
    user = make_user()
    with app.app_context():
        run_id = appraise_project(user, made.id, "EU 2014-2020", seed=1).id
    staff()
    answer = client.get(f"/projects/{made.id}/runs/{run_id}.xlsx")
    assert answer.status_code == 200
    content, results = answer.data, _results(app, run_id)
    assert results["methods"]["taxes"]["profit_tax"][5] > 0
    assert results["methods"]["taxes"]["frr_k_after_tax"] is not None
    book = recalculated(soffice, content, tmp_path)
    checked = _assert_recalculated_like_the_platform(book, _book(content), results)
    figures = [figure for figure, _, _ in _results_rows(book["Results"])]
    for name in ("Residual value: PV of net flows after the period", "Flat rate: EU grant",
                 "Scenario pessimistic: ENPV", "Scenario optimistic: FNPV/C",
                 "FNPV/K after profit tax", "FRR/K after profit tax", "Profit tax 2",
                 "Cumulated cash flow with financing", "Scenario pessimistic: B/C"):  # fmt: skip
        assert any(f.startswith(name) for f in figures), name
    assert checked >= 35


def test_libreoffice_recalculates_a_ppps_risk_register_and_optimism_bias(
    app, client, make_user, make_project, staff, soffice, tmp_path
):
    """Exact formulas: expected cost p x (low + most likely + high) / 3 per risk, spread
    as the capex into the PSC; optimism bias capex x 24 % (Mott MacDonald 2002, Table 2)."""
    from app.appraisals.service import appraise_project
    from app.models import DeliveryModel

    made = make_project()
    register = [
        {"name": "ground", "probability": 0.2, "low": 50e3, "most_likely": 100e3, "high": 300e3},
        {"name": "planning", "probability": 0.5, "low": 10e3, "most_likely": 20e3,
         "high": 30e3, "transferable": False},
    ]  # fmt: skip
    assumptions = {
        "ppp": {"risk_register": register, "optimism_bias": {"project_type": "standard_buildings"}}
    }
    add_flows(app, made.id, horizon=20, assumptions=assumptions,
              delivery_model=DeliveryModel.PPP_AVAILABILITY)  # fmt: skip
    _extra_lines(app, made.id, 20, "15000")
    user = make_user()
    with app.app_context():
        run_id = appraise_project(user, made.id, "EU 2014-2020", seed=1).id
    staff()
    content = client.get(f"/projects/{made.id}/runs/{run_id}.xlsx").data
    results = _results(app, run_id)
    book = recalculated(soffice, content, tmp_path)
    _assert_recalculated_like_the_platform(book, _book(content), results)
    figures = {figure for figure, _, _ in _results_rows(book["Results"])}
    assert {"Risk register: expected cost", "Optimism bias uplift", "PSC: optimism bias",
            "Public sector comparator (PSC)"} <= figures  # fmt: skip


def test_libreoffice_recalculates_the_financing_plan(
    app, client, make_user, make_project, staff, soffice, tmp_path
):
    """Exact formulas of the plan (the hand-computed case of
    tests/appraisal/finance/test_financing_plan.py x 1,000): each loan's interest on its
    opening balance, IDC before its first service year, sources = uses, DSCR and LLCR."""
    from decimal import Decimal

    from app.appraisals.service import appraise_project
    from app.core.extensions import db
    from app.financing import service
    from app.models import CashFlowLine, FlowKind, Project
    from tests.app.financing.conftest import hand_terms

    made = make_project()
    with app.app_context():
        db.session.get(Project, made.id).horizon_years = 6
        rows = [(0, FlowKind.CAPEX, 600_000), (1, FlowKind.CAPEX, 400_000)]
        for year in range(2, 6):
            rows += [(year, FlowKind.REVENUE, 250_000), (year, FlowKind.OPEX_FIXED, 50_000)]
        for year, kind, amount in rows:
            db.session.add(CashFlowLine(project_id=made.id, year=year, kind=kind,
                                        amount=Decimal(amount)))  # fmt: skip
        db.session.commit()
    user = make_user()
    with app.app_context():
        service.save_plan(user, made.id, 0, hand_terms())
        run_id = appraise_project(user, made.id, "EU 2014-2020").id
    staff()
    content = client.get(f"/projects/{made.id}/runs/{run_id}.xlsx").data
    results = _results(app, run_id)
    book = recalculated(soffice, content, tmp_path)
    _assert_recalculated_like_the_platform(book, _book(content), results)
    figures = {figure for figure, _, _ in _results_rows(book["Results"])}
    assert {"Financing plan: DSCR, minimum", "Financing plan: LLCR, minimum",
            "Financing plan: total uses 2027"} <= figures  # fmt: skip
    sheet = book["Financing plan"]
    heads = [c.value for c in sheet[5]]
    balance = heads.index("Sources - uses") + 1
    assert all(abs(sheet.cell(r, balance).value) < 1e-6 for r in range(6, 12))
    idc = heads.index("Interest during construction") + 1
    assert sheet.cell(7, idc).value == pytest.approx(12_000)


def test_libreoffice_recalculates_the_carbon_variants(
    app, client, make_user, make_project, staff, soffice, tmp_path
):
    """Exact identity: the ENPV under another carbon path is the run's ENPV less the PV of
    its CO2 line plus the PV of the CO2 valued at that path (World Bank low / high)."""
    from app.appraisals.service import appraise_project

    made = make_project()
    add_flows(app, made.id, horizon=20, assumptions={"carbon_variants": True})
    user = make_user()
    with app.app_context():
        run_id = appraise_project(
            user, made.id, "World Bank", version="2016-disc-2017-scp-low", seed=1
        ).id
    staff()
    content = client.get(f"/projects/{made.id}/runs/{run_id}.xlsx").data
    results = _results(app, run_id)
    book = recalculated(soffice, content, tmp_path)
    _assert_recalculated_like_the_platform(book, _book(content), results)
    figures = {figure for figure, _, _ in _results_rows(book["Results"])}
    assert {"ENPV, low carbon price", "ENPV, high carbon price"} <= figures


def test_libreoffice_recalculates_a_run_in_current_prices(
    app, client, make_user, make_project, staff, soffice, tmp_path
):
    """Exact formulas: the financial figures at the Fisher rate (1 + FDR)(1 + inflation) - 1,
    the economic lines deflated by their own group's index from the price base year."""
    from app.appraisals.service import appraise_project

    made = make_project()
    assumptions = {
        "economic": {"labour_share_of_opex": 0.4},
        "financing": {"loan_share": 0.5, "loan_rate": 0.035, "loan_tenor": 10},
        "inflation": {"general": 0.02, "opex": 0.03, "benefits": 0.025},
        "scenarios": True,
    }
    add_flows(app, made.id, horizon=20, price_basis="nominal", assumptions=assumptions)
    _extra_lines(app, made.id, 20, "120000")
    user = make_user()
    with app.app_context():
        run_id = appraise_project(user, made.id, "EU 2014-2020", seed=1).id
    staff()
    content = client.get(f"/projects/{made.id}/runs/{run_id}.xlsx").data
    results = _results(app, run_id)
    book = recalculated(soffice, content, tmp_path)
    checked = _assert_recalculated_like_the_platform(book, _book(content), results)
    figures = {figure for figure, _, _ in _results_rows(book["Results"])}
    assert {
        "Financial discount rate, nominal",
        "ENPV",
        "FNPV/C, return on investment",
        "Scenario pessimistic: FNPV/C",
        "Scenario optimistic: B/C ratio",
    } <= figures
    assert any(f.startswith("Cumulated cash flow with financing") for f in figures)
    assert checked >= 20


def test_libreoffice_recalculates_the_scenarios_of_a_taxed_run_in_current_prices(
    app, client, make_user, make_project, staff, soffice, tmp_path
):
    """Exact formulas: the scenarios run in constant prices, so each scenario's FNPV/C
    is on the VAT-treated lines deflated by their group's index and on the working
    capital of those deflated lines (laid out as columns), each line's part x its
    multiplier, as appraisal.finance.financial_taxes.fnpv_lines."""
    from app.appraisals.service import appraise_project

    made = make_project()
    assumptions = {
        "financing": {"loan_share": 0.5, "loan_rate": 0.035, "loan_tenor": 10},
        "inflation": {"general": 0.02, "opex": 0.035, "revenue": 0.01},
        "scenarios": True,
        "taxes": {"vat_rate": 0.2, "vat_recoverable": True, "lines_include_vat": True,
                  "receivable_days": 60, "stock_days": 15, "payable_days": 30,
                  "profit_tax_rate": 0.25, "tax_life": 15},
    }  # fmt: skip
    add_flows(app, made.id, horizon=20, revenue=160_000.0, price_basis="nominal",
              assumptions=assumptions)  # fmt: skip
    _extra_lines(app, made.id, 20, "120000")
    user = make_user()
    with app.app_context():
        run_id = appraise_project(user, made.id, "EU 2014-2020", seed=1).id
    staff()
    content = client.get(f"/projects/{made.id}/runs/{run_id}.xlsx").data
    results = _results(app, run_id)
    cases = results["methods"]["scenarios"]["cases"]
    assert results["methods"]["nominal"] and results["methods"]["taxes"]
    assert len({round(case["fnpv_c"]) for case in cases}) == len(cases) >= 3
    book = recalculated(soffice, content, tmp_path)
    checked = _assert_recalculated_like_the_platform(book, _book(content), results)
    rows = {figure: value for figure, value, _ in _results_rows(book["Results"])}
    for case in cases:
        value = rows[f"Scenario {case['name']}: FNPV/C"]
        assert value == pytest.approx(case["fnpv_c"], rel=1e-9, abs=1e-6), case["name"]
    heads = [c.value for c in book["Cash flows"][5]]
    assert any(str(h).startswith("Change in working capital, deflated (recovered") for h in heads)
    assert checked >= 25
