"""Annual reviews: milestones due, done and late against the plan, the year's progress
reports and the KPIs the projects target from the baseline to the review year; one
review per engagement and year; kept as saved; read by the city, not by partners; and
the PROFILE issued for the engagement, which the "PROFILE published" stage reads."""

from __future__ import annotations

from sqlalchemy import select

from app.core.extensions import db
from app.engagements.checks import data_state
from app.models import (
    AnnualReview,
    AuditLog,
    Engagement,
    EngagementStage,
    Kpi,
    KpiActual,
    KpiValue,
    ProfilePublication,
    ProgressReport,
)
from tests.app.action_plans.conftest import build, milestone
from tests.app.bundles.bundle_world import signed_in
from tests.app.engagements.conftest import post


def reviews_url(engagement_id: int) -> str:
    return f"/engagements/{engagement_id}/reviews"


def save(client, engagement_id, **fields):
    url = reviews_url(engagement_id)
    return post(client, url, fields, page=url)


def test_a_review_compares_plan_progress_and_kpis_and_is_kept_once_a_year(app, approved):
    staff, engagement_id = approved["staff"], approved["engagement"]
    build(staff, engagement_id)
    first, *rest = approved["selected"]
    for name, due, status, done in (
        ("Tender launched", "2026-02-01", "done", "2026-01-30"),
        ("Contract signed", "2026-03-01", "in_progress", ""),
        ("Works finished", "2030-06-30", "planned", ""),
    ):
        response = milestone(
            staff, engagement_id, project_id=str(first), name=name, due_on=due,
            owner="Harbour office", status=status, done_on=done,
        )  # fmt: skip
        assert response.status_code == 302, response.text
    with app.app_context():
        k1 = db.session.scalar(select(Kpi).where(Kpi.code == "K1"))
        city_id = approved["world"]["city_a"]
        db.session.add(KpiValue(city_id=city_id, kpi_id=k1.id, year=2026, value=55.0, unit="%"))
        report = ProgressReport(
            city_id=city_id, project_id=first, year=2026, status="delayed",
            narrative="Permits took longer.",
        )  # fmt: skip
        report.actuals.append(KpiActual(kpi_id=k1.id, planned=60.0, actual=55.0))
        db.session.add(report)
        db.session.commit()

    page = staff.get(
        reviews_url(engagement_id), query_string={"year": "2026", "baseline_year": "2024"}
    )
    assert page.status_code == 200
    assert "<strong>2 due</strong>, <strong>1 done</strong>, <strong>1 late</strong>" in page.text
    assert "Permits took longer." in page.text and "Delayed" in page.text
    movement = page.text.split("KPI movement, 2024 to 2026</caption>")[1].split("</table>")[0]
    assert "K1 KPI K1" in movement and "+15" in movement and "(better)" in movement
    assert "%" in movement

    response = save(staff, engagement_id, year="2026", baseline_year="2024", findings="")
    assert response.status_code == 400 and "Write the review" in response.text
    response = save(
        staff, engagement_id, year="2026", baseline_year="2024",
        findings="Tendering on time; contract late; renewables up 15 points.",
    )  # fmt: skip
    assert response.status_code == 302, response.text
    response = save(staff, engagement_id, year="2026", baseline_year="2024", findings="Again.")
    assert response.status_code == 400
    assert "has a review of 2026 already" in response.text
    response = save(staff, engagement_id, year="2031", findings="Later.")
    assert (
        response.status_code == 400 and "between the request (2026) and this year" in response.text
    )
    with app.app_context():
        review = db.session.scalars(select(AnnualReview)).one()
        assert review.figures["milestones"]["late"] == 1
        assert review.figures["kpis"][0]["change"] == 15.0
        db.session.get(
            ProgressReport, db.session.scalar(select(ProgressReport.id))
        ).narrative = "Changed later."
        db.session.commit()
        assert data_state(
            db.session.get(Engagement, engagement_id), EngagementStage.IN_ANNUAL_REVIEW
        )["review"]
        assert db.session.scalar(select(AuditLog.id).where(AuditLog.action == "annual_review"))
    page = approved["city"].get(reviews_url(engagement_id))
    assert page.status_code == 200
    saved = page.text.split('id="review-2026"')[1]
    assert "renewables up 15 points" in saved and "Permits took longer." in saved  # as saved
    assert "Save the review" not in page.text
    assert signed_in(app, "partner@example.org").get(reviews_url(engagement_id)).status_code == 403
    assert signed_in(app, "asker@example.org").get(reviews_url(engagement_id)).status_code == 403


def test_the_profile_issued_for_the_engagement_satisfies_its_stage(app, approved):
    staff, engagement_id = approved["staff"], approved["engagement"]
    with app.app_context():
        engagement = db.session.get(Engagement, engagement_id)
        assert data_state(engagement, EngagementStage.PROFILE_PUBLISHED) == {"publication": False}
    city = approved["city"]
    url = f"/engagements/{engagement_id}/profile"
    assert post(city, url, {}, page=f"/engagements/{engagement_id}").status_code == 403
    assert post(staff, url, {}, page=f"/engagements/{engagement_id}").status_code == 302
    with app.app_context():
        issued = db.session.scalars(select(ProfilePublication)).one()
        assert issued.pdf.startswith(b"%PDF") and issued.size == len(issued.pdf)
        engagement = db.session.get(Engagement, engagement_id)
        assert data_state(engagement, EngagementStage.PROFILE_PUBLISHED) == {"publication": True}
    page = city.get(f"/engagements/{engagement_id}")
    assert f"/engagements/{engagement_id}/profile/{issued.id}.pdf" in page.text
    download = city.get(f"/engagements/{engagement_id}/profile/{issued.id}.pdf")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert download.mimetype == "application/pdf"
    other = signed_in(app, "asker@example.org")
    assert other.get(f"/engagements/{engagement_id}/profile/{issued.id}.pdf").status_code == 403
    partner = signed_in(app, "partner@example.org")
    assert partner.get(f"/engagements/{engagement_id}/profile/{issued.id}.pdf").status_code == 403
