"""Who may formulate, edit, see and move projects."""

from __future__ import annotations

import pytest

from app.core.extensions import db
from app.models import Project, Stage
from tests.app.conftest import csrf_token
from tests.app.projects import test_projects_data as shared

world, as_role = shared.world, shared.as_role  # fixtures shared by the project tests

STAFF_PAGES = ["/projects/new", "/pipeline", "/projects/{id}/edit", "/projects/{id}/cashflows"]


@pytest.fixture
def projects(app, world, make_project):
    """A draft and a published project of the city, and a draft of another city."""
    with app.app_context():
        from app.models import City, Sector

        city, other = db.session.get(City, world.city_id), db.session.get(City, world.other_city_id)
        sector = db.session.get(Sector, world.sector_id)
    return {
        "draft": make_project("Draft", city=city, sector=sector).id,
        "published": make_project("Published", city=city, sector=sector, published=True).id,
        "other": make_project("Other city's draft", city=other, sector=sector).id,
    }


@pytest.mark.parametrize("role", ["city", "partner"])
def test_staff_pages_are_denied_to_cities_and_partners(as_role, projects, role):
    client = as_role(role)
    for page in STAFF_PAGES:
        assert client.get(page.format(id=projects["draft"])).status_code == 403, page


def test_anonymous_visitors_are_sent_to_login(client, projects):
    for page in [*STAFF_PAGES, "/projects/{id}"]:
        response = client.get(page.format(id=projects["draft"]))
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_partner_sees_published_projects_only(as_role, projects):
    client = as_role("partner")
    assert client.get(f"/projects/{projects['published']}").status_code == 200
    assert client.get(f"/projects/{projects['draft']}").status_code == 403
    assert client.get(f"/projects/{projects['other']}").status_code == 403


def test_a_city_sees_its_own_projects_and_no_other_citys_drafts(as_role, projects):
    client = as_role("city")
    own = client.get(f"/projects/{projects['draft']}")
    assert own.status_code == 200
    assert "Edit project" not in own.text and "Drop project" not in own.text
    assert client.get(f"/projects/{projects['other']}").status_code == 403


@pytest.mark.parametrize("role", ["city", "partner"])
def test_only_staff_move_or_drop_projects(app, as_role, projects, role):
    client = as_role(role)
    token = csrf_token(client.get("/"))
    target = projects["published"]
    for action, data in (("advance", {}), ("drop", {"reason": "Not wanted by the council"})):
        response = client.post(
            f"/projects/{target}/{action}", data=data | {"version": "1", "csrf_token": token}
        )
        assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Project, target).stage is Stage.IDENTIFIED


def test_staff_see_every_project_with_the_stage_actions(as_role, projects):
    client = as_role("staff")
    for project_id in projects.values():
        page = client.get(f"/projects/{project_id}")
        assert page.status_code == 200
        assert "Move to formulated" in page.text and "Drop project" in page.text


def test_an_unknown_project_is_a_404(as_role):
    client = as_role("staff")
    assert client.get("/projects/999999").status_code == 404
    assert client.get("/projects/999999/edit").status_code == 404
    assert client.get("/projects/999999/cashflows").status_code == 404


def test_new_project_prefill_ignores_a_quantity_that_is_not_a_positive_number(
    client, login, make_user
):
    make_user()
    login("staff@example.org")
    for bad in ("nan", "inf", "-5", "0"):
        page = client.get(f"/projects/new?quantity={bad}&city_id=99999&template_id=abc")
        assert page.status_code == 200, bad
