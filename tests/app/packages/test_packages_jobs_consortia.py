"""Product packages: the grouping kept by a job, the indicative economic appraisal on the
projects' benefit basis, and a partner's own consortium for a package."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import (
    AuditLog,
    CashFlowLine,
    FlowKind,
    KpiValue,
    PackageGrouping,
    PackageInterest,
    ProductPackage,
    ProductPackageLine,
    Project,
    ProjectTemplate,
    Stage,
)
from app.packages.service import offer_of
from appraisal.analysis.parameters import get_parameter_set
from appraisal.bundling.packages import appraise_line
from tests.app.core.test_jobs import wait_for
from tests.app.packages.test_packages_web import _published, compose_level_one, levels, sign_in
from tests.app.partners.test_matches_world import post_form, world_fixture  # noqa: F401

__all__ = ["levels"]


def _regroup(app, staff):
    answer = post_form(staff, "/packages", "/packages/grouping", {})
    assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
    job = wait_for(app, answer.headers["Location"].rsplit("/", 1)[1])
    assert job.status.value == "done", job.error
    return job


def test_staff_rerun_the_grouping_as_a_job_and_pages_read_the_kept_one(app, levels):
    staff = sign_in(app, "staff@example.org")
    page = staff.get("/packages").text
    assert "Grouping made on" in page
    assert "4 cities, 8 latest headline KPI values of 2023" in page
    assert "Run the grouping again" in page
    # new data do not move a city until the grouping is run again
    with app.app_context():
        for kpi_id in db.session.scalars(sa.select(KpiValue.kpi_id).distinct()).all():
            db.session.add(
                KpiValue(city_id=levels["nairobi"], kpi_id=kpi_id, year=2024, value=97.0)
            )
        db.session.commit()
    city = sign_in(app, "nairobi@example.org")
    assert "Nairobi is at development level 1 of 2" in city.get("/packages/mine").text
    job = _regroup(app, staff)
    assert job.result["cities"] == 4 and "development levels" in job.message
    assert staff.get(f"/jobs/{job.id}").headers["Location"].endswith("/packages")
    with app.app_context():
        rows = db.session.scalars(sa.select(PackageGrouping).order_by(PackageGrouping.id)).all()
        assert len(rows) == 2 and (rows[1].kpi_year_from, rows[1].kpi_year_to) == (2023, 2024)
        audit = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "group_cities"))
        assert audit is not None and audit.entity == "package_grouping"
    assert "KPI values of 2023 to 2024" in staff.get("/packages").text
    assert "Nairobi is at development level 1 of" not in city.get("/packages/mine").text
    # only staff run it
    partner = sign_in(app, "lumen@example.org")
    assert post_form(partner, "/packages/published", "/packages/grouping", {}).status_code == 403


def _led_project(app, levels, *, benefit, co2, quantity=1000):
    with app.app_context():
        template = db.session.scalar(sa.select(ProjectTemplate))
        db.session.add(
            Project(
                title="LED lights Nairobi",
                city_id=levels["nairobi"],
                sector_id=template.sector_id,
                template_id=template.id,
                scale_quantity=quantity,
                price_base_year=2024,
                start_year=2027,
                stage=Stage.FORMULATED,
                capex_total=Decimal("500000"),
                illustrative=True,
                # the lines its appraisal reads: benefit and CO2 from year 1 (year 0 builds)
                cash_flows=[
                    CashFlowLine(year=year, kind=kind, amount=Decimal(amount))
                    for year in range(1, 20)
                    for kind, amount in (
                        (FlowKind.ECONOMIC_BENEFIT, benefit),
                        (FlowKind.CO2_TONNES, co2),
                    )
                ],
            )
        )
        db.session.commit()


def test_without_a_benefit_basis_enpv_is_not_invented(app, levels):
    staff = sign_in(app, "staff@example.org")
    compose_level_one(staff)
    with app.app_context():
        package_id = db.session.scalar(sa.select(ProductPackage.id))
        line = db.session.scalar(sa.select(ProductPackageLine))
        assert line.enpv is None and line.benefit_basis is None
    page = staff.get(f"/packages/{package_id}").text
    assert "not computed: no solution of the package has a benefit basis" in page
    assert "no project formulated from this solution gives a benefit" in page


def test_enpv_and_bc_per_solution_and_package_from_the_projects_basis(app, levels):
    _led_project(app, levels, benefit=100_000, co2=50)
    staff = sign_in(app, "staff@example.org")
    compose_level_one(staff)
    with app.app_context():
        package = db.session.scalar(sa.select(ProductPackage))
        (line,) = package.lines
        assert float(line.benefit_per_unit) == pytest.approx(100.0)
        assert line.co2_tonnes_per_unit == pytest.approx(0.05)
        assert line.benefit_basis.startswith("illustrative: EUR 100.00 per streetlight a year")
        # the engine's own figures, not a second copy of the formulas
        again = appraise_line(
            offer_of(line), line.quantity, get_parameter_set(package.parameter_set),
            currency="EUR", price_base_year=2024, start_year=package.start_year,
            horizon_years=package.horizon_years,
        )  # fmt: skip
        assert float(line.enpv) == pytest.approx(again.enpv, abs=0.01)
        assert line.bc_ratio == pytest.approx(again.bc_ratio) and line.bc_ratio > 0
        package_id, line_id, enpv = package.id, line.id, float(line.enpv)
    page = staff.get(f"/packages/{package_id}").text
    assert "0.05 t CO2 avoided per streetlight a year" in page
    assert "the median over 1 project formulated from this solution (LED lights Nairobi)" in page
    assert "illustrative projects (demo or load-test data" in page
    assert "over the 1 of 1 solutions with a benefit basis" in page
    assert "Parameter set</dt><dd>EU 2014-2020" in page and ">illustrative<" in page
    # a new quantity is appraised again: fewer units, smaller ENPV in absolute terms
    url = f"/packages/{package_id}/lines/{line_id}"
    post_form(staff, f"/packages/{package_id}", url, {"quantity": 1000})
    with app.app_context():
        line = db.session.get(ProductPackageLine, line_id)
        assert line.enpv is not None and abs(float(line.enpv)) < abs(enpv)
        assert db.session.scalar(
            sa.select(AuditLog).where(AuditLog.entity == "product_package_line")
        )


def test_partner_proposes_its_consortium_and_expresses_interest_as_it(app, levels):
    staff = sign_in(app, "staff@example.org")
    package_id = _published(app, staff)
    partner = sign_in(app, "lumen@example.org")
    url = f"/packages/{package_id}"
    page = partner.get(url).text
    assert "Propose a consortium" in page and "Nordic Bank (financial institution)" in page
    assert "Fit to the whole package" in page and "Fit components" in page  # the _fit partial
    bank, fibre = levels["bank"], levels["fibreco"]
    shown = partner.get(f"{url}?members={bank}&members={fibre}")
    assert shown.status_code == 200
    text = shown.text
    assert "Your consortium's fit to the whole package" in text
    assert "Investor or bank" in text and "Technology" in text
    assert "no member fills the local role (a local company)" in text
    assert "all fill the technology role" in text
    for bad in ("999999", "abc"):
        refused = partner.get(f"{url}?members={bad}")
        assert refused.status_code == 400
    assert "Pick approved partners of the list only." in partner.get(f"{url}?members=999999").text
    # interest as the consortium, recorded with its members
    message = "Lumen with Nordic Bank financing, for both Kenyan cities."
    answer = post_form(
        partner, f"{url}?members={bank}", f"{url}/interest",
        {"message": message, "members": [bank]},
    )  # fmt: skip
    assert answer.status_code == 302
    with app.app_context():
        row = db.session.scalar(sa.select(PackageInterest))
        assert row.consortium_partner_ids == [bank] and row.partner_id == levels["lumen"]
        assert db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "express_interest"))
    assert "as a consortium of 2 partners" in partner.get(url).text
    assert "Lumen Lighting, as a consortium with Nordic Bank" in staff.get(url).text
    # a member who is not an approved partner is refused on the form, nothing kept
    other = sign_in(app, "fibre@example.org")
    refused = post_form(other, url, f"{url}/interest", {"message": message, "members": [999999]})
    assert refused.status_code == 400 and "Pick approved partners of the list only." in refused.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PackageInterest)) == 1


def test_staff_see_partners_who_work_across_the_member_cities(app, levels):
    staff = sign_in(app, "staff@example.org")
    compose_level_one(staff)
    with app.app_context():
        package_id = db.session.scalar(sa.select(ProductPackage.id))
    page = staff.get(f"/packages/{package_id}").text
    section = page.split('id="capable-heading"', 1)[1].split("<h3>", 1)[0]
    assert "Member cities it works in" in section
    assert "Fibre Co" in section and "2 of 2" in section  # works in Kenya
    assert "Vestkyst" not in section  # Norway only: none of the Kenyan members
    assert "Nordic Bank, fit" in page and "works in 0 of 2 member cities" in page


def test_the_command_groups_the_cities_and_says_so(app, levels, world):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["group-cities"])
    assert result.exit_code == 0, result.output
    assert "grouped 4 cities into 2 development levels (KPI values of 2023 to 2023)" in (
        result.output
    )
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PackageGrouping)) == 2


def test_the_command_says_what_is_missing_with_too_few_cities(app, world):
    result = app.test_cli_runner().invoke(args=["group-cities"])
    assert result.exit_code == 1 and "grouping needs at least two" in result.output
