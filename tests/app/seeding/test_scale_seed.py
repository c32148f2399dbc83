"""`usc seed --scale N`: a large illustrative set, bulk-written, idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.extensions import db
from app.models import CashFlowLine, City, KpiValue, Partner, Project


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_scale_seed_adds_n_cities_20n_projects_2n_partners(app, runner):
    first = runner.invoke(args=["seed", "--scale", "4"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        assert count(City, City.slug.like("scale-%"), City.illustrative) == 4
        assert count(Project, Project.slug.like("scale-%"), Project.illustrative) == 80
        assert count(Partner, Partner.slug.like("scale-%"), Partner.illustrative) == 8
        assert count(KpiValue, KpiValue.illustrative) >= 4 * 80
        assert count(CashFlowLine) > 80 * 10
        kinds = set(db.session.scalars(select(Partner.kind).where(Partner.slug.like("scale-%"))))
        assert len(kinds) == 4
    again = runner.invoke(args=["seed", "--scale", "4"])
    assert again.exit_code == 0 and "added       0 projects" in again.output
    with app.app_context():
        assert count(Project) == 80
    grown = runner.invoke(args=["seed", "--scale", "6"])
    assert grown.exit_code == 0, grown.output
    with app.app_context():
        assert count(City, City.slug.like("scale-%")) == 6
        assert count(Project) == 120 and count(Partner) == 12


def test_scale_needs_a_positive_number(runner):
    result = runner.invoke(args=["seed", "--scale", "0"])
    assert result.exit_code != 0 and "0 is not in the range x>=1" in result.output
