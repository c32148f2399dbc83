"""Financing plans through the service: saved when they balance, kept with each run."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.appraisals.service import appraise_project
from app.core.errors import Conflict, PermissionDenied
from app.core.extensions import db
from app.financing import service
from app.models import Project, ProjectFinancingPlan, User
from app.projects.service import FieldError
from tests.app.financing.conftest import hand_terms


def plans(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(ProjectFinancingPlan))


def user(app, email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def test_a_balanced_plan_is_saved_and_shown_with_its_ratios(app, project, make_user):
    make_user()
    with app.app_context():
        staff = user(app, "staff@example.org")
        row = service.save_plan(staff, project.id, 0, hand_terms())
        assert row.version == 1
        context = service.project_plan_context(staff, db.session.get(Project, project.id))
    r = context["results"]
    assert r["currency"] == "EUR" and r["price_basis"] == "EUR, constant 2024 prices"
    assert r["years"] == [2027, 2028, 2029, 2030, 2031, 2032]
    assert r["sources"]["city_budget"][:2] == pytest.approx([45_000, 61_200])
    assert r["sources"]["national_grant"][:2] == pytest.approx([30_000, 40_800])
    assert r["total_sources"] == pytest.approx(r["total_uses"])
    assert r["uses"]["idc"][1] == pytest.approx(12_000)
    assert r["min_dscr"] == pytest.approx(200_000 / (500_000 / 3 + 20_000))
    assert r["affordability"]["failing_years"] == [2030, 2031, 2032]
    assert r["guarantees"] == 250_000


def test_an_unbalanced_plan_is_refused_and_nothing_is_saved(app, project, make_user):
    make_user()
    with app.app_context():
        staff = user(app, "staff@example.org")
        with pytest.raises(FieldError, match=r"short of uses in 2027 \(EUR 75,000.00\)") as e:
            service.save_plan(staff, project.id, 0, hand_terms(residual_shares={}))
    assert e.value.field == service.PLAN_FIELD
    assert plans(app) == 0


def test_grace_longer_than_tenor_is_named_on_its_field(app, project, make_user):
    make_user()
    terms = hand_terms()
    terms["loans"]["ifi_loan"] |= {"grace": 4}
    with app.app_context(), pytest.raises(FieldError, match="shorter than the tenor") as e:
        service.save_plan(user(app, "staff@example.org"), project.id, 0, terms)
    assert e.value.field == "ifi_loan_grace"
    assert plans(app) == 0


def test_a_stale_copy_is_refused(app, project, make_user):
    make_user()
    with app.app_context():
        staff = user(app, "staff@example.org")
        service.save_plan(staff, project.id, 0, hand_terms())
        with pytest.raises(Conflict, match="version 0"):
            service.save_plan(staff, project.id, 0, hand_terms(guarantees=0.0))
        assert service.save_plan(staff, project.id, 1, hand_terms(guarantees=0.0)).version == 2


def test_the_projects_city_edits_and_no_other_account_does(
    app, project, make_user, make_city, make_country
):
    make_city(slug="tunis-tn", name="Tunis", country=make_country("TN", "TUN", "Tunisia"))
    make_user("city@example.org", "city", city_slug="karmoy-no")
    make_user("other@example.org", "city", city_slug="tunis-tn")
    with app.app_context():
        service.save_plan(user(app, "city@example.org"), project.id, 0, hand_terms())
        with pytest.raises(PermissionDenied):
            service.plan_editor(user(app, "other@example.org"), project.id)
    assert plans(app) == 1


def test_a_run_keeps_the_plan_as_it_was(app, project, make_user):
    make_user()
    with app.app_context():
        staff = user(app, "staff@example.org")
        service.save_plan(staff, project.id, 0, hand_terms())
        run = appraise_project(staff, project.id, "EU 2014-2020")
        terms = hand_terms(residual_shares={"city_budget": 1.0})
        service.save_plan(staff, project.id, 1, terms)
        run_id = run.id
        db.session.expire_all()
        from app.models import AppraisalRun

        kept = db.session.get(AppraisalRun, run_id)
        assert kept.inputs["financing_plan"] == hand_terms()
        assert kept.results["financing_plan"]["sources"]["national_grant"][:2] == pytest.approx(
            [30_000, 40_800]
        )
        now = service.project_plan_context(staff, db.session.get(Project, project.id))
        assert now["results"]["sources"]["national_grant"][:2] == [0, 0]


def test_grants_sized_from_the_funding_gap_match_the_appraisal(app, project, make_user):
    make_user()
    terms = hand_terms(grants_from_funding_gap=True, residual_shares={"city_budget": 1.0}, loans={})
    terms["sources"]["equity"] = [0.0] * 6
    with app.app_context():
        staff = user(app, "staff@example.org")
        service.save_plan(staff, project.id, 0, terms)
        run = appraise_project(staff, project.id, "EU 2014-2020")
        gap = run.results["financial"]["funding_gap"]
        plan = run.results["financing_plan"]
    assert sum(plan["sources"]["eu_grant"]) == pytest.approx(gap["grant"])
    assert sum(plan["sources"]["eu_grant"]) + sum(plan["sources"]["national_grant"]) == (
        pytest.approx(gap["decision_amount"])
    )
    assert plan["total_sources"] == pytest.approx(plan["total_uses"])
