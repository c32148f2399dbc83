"""Bundle totals in the reporting currency the user picks; bundles in any currency."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.extensions import db
from app.core.formatting import money
from app.models import Bundle
from tests.app.bundles.bundle_world import (
    START,
    form_on,
    new_bundle,
    optimise,
    save_edit,
    year_index,
)

USD_PER_EUR_2024 = 1.0824  # ECB annual average (price_indices.csv)
NOK_PER_USD_2024 = 10.74583333  # World Bank WDI PA.NUS.FCRF, Norway (fx_annual.csv)


@pytest.fixture
def optimised(app, world, staff):
    bundle_id = new_bundle(staff, world["city_a"])

    def fill(fields):
        fields[f"budgets-{year_index(fields, START)}-amount"] = "10000000"

    assert save_edit(staff, bundle_id, fill).status_code == 302
    optimise(staff, bundle_id)
    with app.app_context():
        return bundle_id, db.session.get(Bundle, bundle_id).result["enpv_total"]


def test_the_detail_page_shows_totals_in_the_chosen_currency_with_the_rates(staff, optimised):
    bundle_id, enpv = optimised
    page = staff.get(f"/bundles/{bundle_id}?currency=NOK")
    assert page.status_code == 200
    in_nok = enpv * USD_PER_EUR_2024 * NOK_PER_USD_2024
    assert f'total ENPV <span class="total">{money(in_nok, "NOK", 2024)}</span>' in page.text
    assert "x 1.0824 USD per EUR x 10.7458 NOK per USD" in page.text
    assert '<option value="NOK" selected>' in page.text


def test_the_list_shows_each_bundle_enpv_in_the_reporting_currency(staff, optimised):
    _, enpv = optimised
    default = staff.get("/bundles")
    assert "ENPV in EUR (2024 prices)" in default.text
    page = staff.get("/bundles?currency=USD")
    assert page.status_code == 200
    assert "ENPV in USD (2024 prices)" in page.text
    assert money(enpv * USD_PER_EUR_2024, "USD", 2024) in page.text


@pytest.mark.parametrize("url", ["/bundles?currency=XYZ", "/bundles/{id}?currency=%3Cb%3E"])
def test_an_unknown_currency_is_a_message_not_a_500(staff, optimised, url):
    page = staff.get(url.format(id=optimised[0]))
    assert page.status_code == 400
    assert "is not a currency with prices and exchange rates" in page.text
    assert "<b>" not in page.text


def test_a_bundle_in_tnd_at_a_2026_price_base(app, world, staff):
    fields = form_on(staff.get("/bundles/new"))
    fields.update(city_id=str(world["city_a"]), name="Bizerte 2027", objective="enpv")
    fields.update(enpv_weight="50", currency="TND", price_base_year="2026")
    answer = staff.post("/bundles/new", data=fields)
    assert answer.status_code == 302
    with app.app_context():
        bundle = db.session.scalars(select(Bundle)).one()
        assert (bundle.currency, bundle.price_base_year) == ("TND", 2026)
    editor = staff.get(f"/bundles/{bundle.id}/edit")
    assert editor.status_code == 200 and "TND" in editor.text
    assert staff.get(f"/bundles/{bundle.id}").status_code == 200


def test_a_bundle_in_a_currency_without_data_is_refused(app, world, staff):
    fields = form_on(staff.get("/bundles/new"))
    fields.update(city_id=str(world["city_a"]), name="X", objective="enpv", enpv_weight="50")
    answer = staff.post("/bundles/new", data=fields | {"currency": "XYZ"})
    assert answer.status_code == 400
    assert "Choose a currency of the list" in answer.text
    with app.app_context():
        assert db.session.scalars(select(Bundle)).first() is None
