"""Parallel submits: one form load creates one record; same-version saves are one save
and conflicts, never a server error."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from app.core.extensions import db
from app.models import Bundle, Project
from tests.app.conftest import csrf_token
from tests.app.projects import test_projects_data as projects_data

world, as_role = projects_data.world, projects_data.as_role  # the shared fixtures
project_form = projects_data.project_form

SUBMITS = 20


def parallel_posts(app, client, url: str, data: dict, *, texts=None) -> list[int]:
    """POST ``data`` to ``url`` SUBMITS times at once from copies of ``client``'s session;
    the pages answered with a conflict are added to ``texts`` when given."""
    cookie = client.get_cookie("session").value

    def submit(_):
        copy = app.test_client()
        copy.set_cookie("session", cookie)
        response = copy.post(url, data=data)
        if texts is not None and response.status_code == 409:
            texts.append(response.text)
        return response.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(submit, range(SUBMITS)))


def hidden(page, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page.text)
    assert match, f"no hidden {name}"
    return match.group(1)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_one_new_project_form_makes_one_project_however_often_it_is_sent(app, world, as_role):
    client = as_role("staff")
    page = client.get("/projects/new")
    data = project_form(world) | {
        "csrf_token": csrf_token(page),
        "creation_key": hidden(page, "creation_key"),
    }
    statuses = parallel_posts(app, client, "/projects/new", data)
    assert set(statuses) == {302}, statuses
    assert count(app, Project) == 1
    again = client.post("/projects/new", data=data)  # a reload of the answer, later
    assert again.status_code == 302 and count(app, Project) == 1
    second_form = client.get("/projects/new")
    data["creation_key"] = hidden(second_form, "creation_key")
    assert client.post("/projects/new", data=data).status_code == 302
    assert count(app, Project) == 2  # a new form load is a new project


def test_one_new_bundle_form_makes_one_bundle(app, world, as_role):
    client = as_role("staff")
    page = client.get("/bundles/new")
    data = {
        "csrf_token": csrf_token(page),
        "creation_key": hidden(page, "creation_key"),
        "city_id": str(world.city_id),
        "name": "Karmøy 2027",
        "objective": "enpv",
        "enpv_weight": "50",
        "currency": "EUR",
        "price_base_year": "2024",
    }
    statuses = parallel_posts(app, client, "/bundles/new", data)
    assert set(statuses) == {302}, statuses
    assert count(app, Bundle) == 1


def test_parallel_saves_from_one_version_are_one_save_and_conflicts(app, world, as_role):
    client = as_role("staff")
    page = client.get("/projects/new")
    data = project_form(world) | {"csrf_token": csrf_token(page)}
    created = client.post("/projects/new", data=data)
    project_id = int(created.headers["Location"].rstrip("/").split("/")[-1])
    edit = client.get(f"/projects/{project_id}/edit")
    form = project_form(world, title="Renamed in parallel") | {
        "csrf_token": csrf_token(edit),
        "version": hidden(edit, "version"),
    }
    conflicts: list[str] = []
    statuses = parallel_posts(app, client, f"/projects/{project_id}/edit", form, texts=conflicts)
    assert statuses.count(302) == 1, statuses
    assert set(statuses) <= {302, 409}, statuses
    assert all('value="Renamed in parallel"' in text for text in conflicts)  # typed, kept
    with app.app_context():
        assert db.session.get(Project, project_id).version == 2
