"""Parameter sets in the platform: listing with sources, copying, versioned editing,
a city's default set, and runs that keep the set's name and version."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import AppraisalRun, City, Country, Project, StaffParameterSet
from appraisal.analysis.parameters import get_parameter_set
from tests.app.appraisals.test_appraisals import add_flows
from tests.app.conftest import csrf_token

WB = get_parameter_set("World Bank")
WB_VALUE = f"World Bank|{WB.version}"


@pytest.fixture
def staff(make_user, login):
    make_user()
    login("staff@example.org")


def _form_data(params, **changes) -> dict:
    """What the copy/edit form shows for ``params`` (rates in %), with ``changes``."""
    data = {
        "financial_discount_rate": f"{params.financial_discount_rate * 100:g}",
        "social_discount_rate": f"{params.social_discount_rate * 100:g}",
        "standard_conversion_factor": f"{params.standard_conversion_factor:g}",
        "shadow_wage_factor": f"{params.shadow_wage_factor:g}",
        "cofinancing_rate": f"{params.cofinancing_rate * 100:g}",
        "carbon_points": "; ".join(f"{y}: {p:g}" for y, p in params.carbon_price.points),
        "carbon_currency": params.carbon_price.currency,
        "carbon_base_year": str(params.carbon_price.price_base_year),
    }
    return data | changes


def _copy(client, base: str, version: str, **changes):
    page = client.get("/parameter-sets/copy", query_string={"from": base, "version": version})
    assert page.status_code == 200
    data = _form_data(get_parameter_set(base, version), **changes)
    return client.post(
        "/parameter-sets/copy",
        query_string={"from": base, "version": version},
        data={"csrf_token": csrf_token(page)} | data,
    )


def _rows(app) -> list[tuple[str, int]]:
    with app.app_context():
        return [
            (r.name, r.version)
            for r in db.session.scalars(sa.select(StaffParameterSet).order_by(StaffParameterSet.id))
        ]


def test_the_list_shows_every_set_with_every_value_and_its_source(app, client, staff):
    page = client.get("/parameter-sets")
    assert page.status_code == 200
    text = page.text
    for name in ("EU 2014-2020", "EU 2021-2027", "World Bank", "ADB 2017", "UK Green Book"):
        assert name in text
    assert "Norway R-109" in text
    # a read source with its address, a recalled one said to be recalled
    assert "worldbank.org/en/news/press-release/2017/05/29" in text
    assert "e3g.org/bank-metrics/shadow-carbon-pricing" in text
    assert "Recalled: not checked in the source during this work." in text
    assert "Copy World Bank" in text


def test_a_city_committee_reads_the_sets_but_cannot_copy_them(
    app, client, make_user, login, make_city
):
    make_city()
    make_user("city@example.org", role="city", city_slug="karmoy-no")
    login("city@example.org")
    page = client.get("/parameter-sets")
    assert page.status_code == 200 and "Copy World Bank" not in page.text
    refused = client.get("/parameter-sets/copy", query_string={"from": "World Bank"})
    assert refused.status_code == 403


def test_staff_copy_a_set_with_a_sourced_change_and_it_is_offered_for_appraisals(
    app, client, staff, make_project
):
    answer = _copy(
        client,
        "World Bank",
        WB.version,
        name="Tunisia 2026",
        social_discount_rate="5",
        social_discount_rate_source="Tunisian Ministry of Economy, circular 2025-12, p. 3",
        note="national rate",
    )
    assert answer.status_code == 302, answer.text
    assert _rows(app) == [("Tunisia 2026", 1)]
    with app.app_context():
        row = db.session.scalars(sa.select(StaffParameterSet)).one()
        assert row.values["social_discount_rate"] == pytest.approx(0.05)
        assert row.values["sources"]["social_discount_rate"].startswith("Tunisian Ministry")
        assert (
            row.values["sources"]["financial_discount_rate"]
            == WB.sources["financial_discount_rate"]
        )
        assert (row.based_on_name, row.based_on_version) == ("World Bank", WB.version)
        assert row.created_by.email == "staff@example.org" and row.created_at is not None
    listing = client.get("/parameter-sets").text
    assert "Tunisia 2026" in listing and "Tunisian Ministry of Economy, circular 2025-12" in listing
    made = make_project()
    form = client.get(f"/projects/{made.id}/appraise").text
    assert "Tunisia 2026 (version 1, made by staff)" in form


def _sourced(field: str, value: str) -> dict:
    return {field: value, f"{field}_source": "a source"}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"social_discount_rate": "5"}, "social_discount_rate", "give its source"),
        (_sourced("social_discount_rate", "25"), "social_discount_rate", "0 and 20"),
        (_sourced("financial_discount_rate", "-1"), "financial_discount_rate", "0 and 20"),
        (_sourced("standard_conversion_factor", "0"), "standard_conversion_factor", "above 0"),
        (_sourced("shadow_wage_factor", "3.5"), "shadow_wage_factor", "at most 3"),
        ({"carbon_points": "2030: 300"}, "carbon_points", "give its source"),
        ({"carbon_points": "2030 300", "carbon_source": "s"}, "carbon_points", "year: price"),
        ({"name": "EU 2014-2020"}, "name", "exists"),
        ({"name": "  "}, "name", "name of its own"),
        ({"name": "A|B"}, "name", "Leave &#39;|&#39; out"),
    ],
)
def test_a_change_without_source_or_out_of_sense_is_refused_on_its_field(
    app, client, staff, changes, field, message
):
    answer = _copy(client, "World Bank", WB.version, **({"name": "Mine"} | changes))
    assert answer.status_code == 400
    assert message in answer.text
    errors = re.findall(r'<p class="error" id="([a-z_]+)-error">', answer.text)
    assert field in errors, errors
    assert _rows(app) == []


def _edit(client, name: str, version_seen: str | None = None, **changes):
    page = client.get("/parameter-sets/edit", query_string={"name": name})
    assert page.status_code == 200
    seen = re.search(r'name="version" type="hidden" value="(\d+)"', page.text).group(1)
    params = get_parameter_set("World Bank")
    data = {"csrf_token": csrf_token(page), "version": version_seen or seen}
    return client.post(
        "/parameter-sets/edit",
        query_string={"name": name},
        data=data | _form_data(params, **changes),
    )


def test_each_save_is_a_new_version_and_a_stale_edit_is_a_conflict(app, client, staff):
    _copy(client, "World Bank", WB.version, name="Mine")
    answer = _edit(
        client, "Mine", shadow_wage_factor="0.8", shadow_wage_factor_source="ILO 2024, table 2"
    )
    assert answer.status_code == 302
    assert _rows(app) == [("Mine", 1), ("Mine", 2)]
    # a form opened at version 1 is stale now: nothing saved, the typed values kept
    stale = _edit(
        client, "Mine", "1", shadow_wage_factor="0.7", shadow_wage_factor_source="another study"
    )
    assert stale.status_code == 409
    assert "changed by someone else" in stale.text and 'value="0.7"' in stale.text
    assert _rows(app) == [("Mine", 1), ("Mine", 2)]
    listing = client.get("/parameter-sets").text
    assert "Earlier versions of Mine" in listing and "ILO 2024, table 2" in listing


def test_a_built_in_set_is_copied_not_edited(app, client, staff):
    page = client.get("/parameter-sets/edit", query_string={"name": "World Bank"})
    assert page.status_code == 200  # shows the form
    answer = client.post(
        "/parameter-sets/edit",
        query_string={"name": "World Bank"},
        data={"csrf_token": csrf_token(page), "version": WB.version} | _form_data(WB),
    )
    assert answer.status_code == 400 and "copy it, then edit the copy" in answer.text
    assert _rows(app) == []


def _set_country_set(app, city_id: int, name: str | None) -> None:
    with app.app_context():
        city = db.session.get(City, city_id)
        city.country.parameter_set = name
        db.session.commit()


def test_the_run_form_preselects_the_city_set_and_staff_may_choose_another(
    app, client, staff, make_project
):
    made = make_project()
    _set_country_set(app, made.city_id, "Norway R-109")
    form = client.get(f"/projects/{made.id}/appraise").text
    assert re.search(r'<option selected value="Norway R-109\|2021">', form)
    page = client.get(f"/cities/{made.city_id}/parameter-set")
    assert "Follow the country (Norway R-109)" in page.text
    answer = client.post(
        f"/cities/{made.city_id}/parameter-set",
        data={"csrf_token": csrf_token(page), "parameter_set": "ADB 2017"},
    )
    assert answer.status_code == 302
    form = client.get(f"/projects/{made.id}/appraise").text
    assert re.search(r'<option selected value="ADB 2017\|2017.03">', form)
    project_page = client.get(f"/projects/{made.id}").text
    assert re.search(r'<option selected value="ADB 2017\|2017.03">', project_page)


def test_a_run_records_the_set_name_and_version_and_keeps_showing_it(
    app, client, staff, make_project
):
    _copy(client, "World Bank", WB.version, name="Mine")
    made = make_project()
    add_flows(app, made.id)
    page = client.get(f"/projects/{made.id}/appraise")
    answer = client.post(
        f"/projects/{made.id}/appraise",
        data={"csrf_token": csrf_token(page), "parameter_set": "Mine|1", "draws": "0"},
    )
    assert answer.status_code == 302, answer.text
    # the set moves on to version 2; the run keeps version 1 and recomputes from it
    _edit(client, "Mine", social_discount_rate="8", social_discount_rate_source="decision 7")
    with app.app_context():
        run = db.session.scalars(sa.select(AppraisalRun)).one()
        assert (run.parameter_set, run.parameter_set_version) == ("Mine", "1")
        assert run.results["parameter_set"]["social_discount_rate"] == pytest.approx(0.06)
    shown = client.get(answer.headers["Location"]).text
    assert "Mine (version 1)" in shown
    assert client.get(answer.headers["Location"] + ".xlsx").status_code == 200
    assert "Mine (version 1)" in client.get(f"/projects/{made.id}").text


def test_a_run_kept_before_versions_were_recorded_still_shows_its_set(
    app, client, staff, make_project
):
    made = make_project()
    add_flows(app, made.id)
    page = client.get(f"/projects/{made.id}/appraise")
    client.post(
        f"/projects/{made.id}/appraise",
        data={
            "csrf_token": csrf_token(page),
            "parameter_set": "EU 2014-2020|2014.12-eib2020carbon",
            "draws": "0",
        },
    )
    with app.app_context():
        run = db.session.scalars(sa.select(AppraisalRun)).one()
        run.parameter_set_version = None  # as the migration finds runs kept before it
        db.session.commit()
        run_id = run.id
    text = client.get(f"/projects/{made.id}").text
    assert "EU 2014-2020 (version 2014.12-eib2020carbon)" in text
    assert client.get(f"/projects/{made.id}/runs/{run_id}").status_code == 200


def test_usc_appraise_uses_each_city_set_unless_one_is_given(app, runner, make_project):
    first = make_project()
    _set_country_set(app, first.city_id, "World Bank")
    add_flows(app, first.id)
    result = runner.invoke(args=["appraise", "--missing"])
    assert result.exit_code == 0, result.output
    assert "each city's default set" in result.output
    with app.app_context():
        assert db.session.scalars(sa.select(AppraisalRun.parameter_set)).all() == ["World Bank"]
        old = db.session.get(Project, first.id)
        second = Project(
            title="Second",
            city=old.city,
            sector=old.sector,
            price_base_year=2024,
            start_year=2027,
        )
        db.session.add(second)
        db.session.commit()
    add_flows(app, second.id)
    result = runner.invoke(args=["appraise", "--missing", "--parameter-set", "EU 2021-2027"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        run = db.session.scalars(
            sa.select(AppraisalRun).where(AppraisalRun.project_id == second.id)
        ).one()
        assert (run.parameter_set, run.parameter_set_version) == ("EU 2021-2027", "2021-vademecum")
    refused = runner.invoke(args=["appraise", "--missing", "--parameter-set", "Mars 2100"])
    assert refused.exit_code != 0 and "no parameter set named 'Mars 2100'" in refused.output


def test_seeding_gives_each_country_its_default_set(app):
    from app.seeding import seed_database

    with app.app_context():
        seed_database()
        sets = dict(db.session.execute(sa.select(Country.iso2, Country.parameter_set)).all())
    assert sets["TN"] == "World Bank" and sets["NO"] == "Norway R-109"
    assert sets["GB"] == "UK Green Book"
    assert sets["FR"] == sets["DE"] == sets["PL"] == "EU 2021-2027"
    assert None not in sets.values()
