"""Work moves projects forward in the pipeline: appraised, then bundled on approval."""

from __future__ import annotations

from sqlalchemy import select

from app.appraisals.service import appraise_missing, appraise_project
from app.bundles.demo import create_demo_bundle
from app.bundles.reviews import review_bundle
from app.core.extensions import db
from app.models import AuditLog, Project, Stage, User
from app.seeding import seed_database
from tests.app.conftest import PASSWORD


def test_appraising_moves_an_earlier_project_to_appraised_only(app):
    with app.app_context():
        seed_database(demo=True, demo_password=PASSWORD)
        early = db.session.scalar(
            select(Project).where(Project.stage.in_([Stage.IDENTIFIED, Stage.FORMULATED]))
        )
        later = db.session.scalar(select(Project).where(Project.stage == Stage.PUBLISHED))
        appraise_project(None, early.id)
        appraise_project(None, later.id)
        db.session.expire_all()
        assert db.session.get(Project, early.id).stage is Stage.APPRAISED
        assert db.session.get(Project, later.id).stage is Stage.PUBLISHED  # never moves back
        moves = db.session.scalars(
            select(AuditLog).where(
                AuditLog.action == "advance", AuditLog.entity_id == str(early.id)
            )
        ).all()
        assert moves and "appraisal run" in moves[-1].changes["why"]


def test_an_approved_bundle_makes_its_selected_projects_bundled(app):
    with app.app_context():
        seed_database(demo=True, demo_password=PASSWORD)
        appraise_missing()
        bundle = create_demo_bundle()
        city_user = db.session.scalar(select(User).where(User.email == "city@example.org"))
        review_bundle(city_user, bundle.id, bundle.version, "approved", "Agreed by the council.")
        db.session.expire_all()
        for item in bundle.items:
            project = db.session.get(Project, item.project_id)
            if item.selected:
                assert project.stage not in (Stage.IDENTIFIED, Stage.FORMULATED, Stage.APPRAISED)
