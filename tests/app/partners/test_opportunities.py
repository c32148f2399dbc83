"""Partners: only published projects, filters, sorting by fit with reasons, interests."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.core.extensions import db
from app.models import Interest
from tests.app.partners.test_matches_world import post_form, world_fixture  # noqa: F401  (fixture "world")


def titles(page) -> list[str]:
    return re.findall(r'<h2><a href="/opportunities/\d+[^"]*">([^<]+)</a>', page.text)


def test_partner_sees_only_published_projects_best_fit_first(client, login, world):
    login("lumen@example.org")
    page = client.get("/opportunities")
    assert page.status_code == 200
    found = titles(page)
    assert set(found) == {"LED street lighting", "Open-access fibre", "District heat pump"}
    assert "Secret draft" not in page.text
    assert found[0] == "LED street lighting" and found[-1] == "Open-access fibre"
    assert "works in Energy (the project&#39;s sector)" in page.text  # reasons shown
    scores = [float(s) for s in re.findall(r"Fit <strong>([0-9.]+)</strong>", page.text)]
    assert scores == sorted(scores, reverse=True)


def test_another_partner_gets_its_own_order(client, login, world):
    login("fibre@example.org")
    assert titles(client.get("/opportunities"))[0] == "Open-access fibre"


def test_unpublished_detail_is_404_for_a_partner(client, login, world):
    login("lumen@example.org")
    response = client.get(f"/opportunities/{world['draft']}")
    assert response.status_code == 404
    assert "Secret draft" not in response.text
    assert client.get(f"/projects/{world['draft']}").status_code in (403, 404)


def test_filters(client, login, world):
    login("lumen@example.org")
    assert titles(client.get("/opportunities?country=KE")) == ["Open-access fibre"]
    assert set(titles(client.get(f"/opportunities?sector={world['energy']}"))) == {
        "LED street lighting",
        "District heat pump",
    }
    assert titles(client.get("/opportunities?income_group=Lower+middle+income")) == [
        "Open-access fibre"
    ]
    assert titles(client.get("/opportunities?capex_min=10&capex_max=20")) == ["District heat pump"]
    # USD 25 m is about EUR 23 m: inside 20-24, outside 24-30
    assert titles(client.get("/opportunities?capex_min=20&capex_max=24")) == ["Open-access fibre"]
    assert titles(client.get("/opportunities?capex_min=24&capex_max=30")) == []
    assert titles(client.get("/opportunities?sdg=6")) == ["Open-access fibre"]  # via its KPI
    assert set(titles(client.get("/opportunities?sdg=7"))) == {
        "LED street lighting",
        "District heat pump",
    }
    assert titles(client.get("/opportunities?delivery_model=ppp_availability")) == [
        "LED street lighting"
    ]


def test_bad_filters_say_what_to_fix(client, login, world):
    login("lumen@example.org")
    response = client.get("/opportunities?capex_min=5&capex_max=1")
    assert response.status_code == 400 and "swap them" in response.text
    response = client.get("/opportunities?delivery_model=barter")
    assert response.status_code == 400 and "Not a valid choice" in response.text


def test_pagination_keeps_the_filters(app, client, login, world):
    from app.partners import opportunity_views as opportunities

    opportunities.PAGE_SIZE, old = 1, opportunities.PAGE_SIZE
    try:
        login("lumen@example.org")
        page = client.get(f"/opportunities?sector={world['energy']}")
        assert titles(page) == ["LED street lighting"]
        assert f"sector={world['energy']}" in re.search(r'href="([^"]+)" rel="next"', page.text)[1]
        second = client.get(f"/opportunities?sector={world['energy']}&page=2")
        assert titles(second) == ["District heat pump"]
    finally:
        opportunities.PAGE_SIZE = old


def test_detail_shows_facts_fit_and_interest_form(client, login, world):
    login("lumen@example.org")
    page = client.get(f"/opportunities/{world['lights']}")
    assert page.status_code == 200
    for text in (
        "EUR 3.90 m (2024 prices)",
        "ppp availability",
        "municipal guarantee",
        "lamp supply delays",
        "SDG 7",
        "Not appraised yet",
        "Why it fits Lumen Lighting",
        "Track record",
        "Express interest",
    ):
        assert text in page.text, text


def test_express_interest_validates_and_refuses_a_duplicate(app, client, login, world):
    login("lumen@example.org")
    url = f"/opportunities/{world['lights']}"
    action = f"{url}/interest"
    short = post_form(client, url, action, {"message": "too short"})
    assert short.status_code == 400 and "Write 20 to 2,000 characters." in short.text
    assert "too short" in short.text  # what the user typed is kept
    long = post_form(client, url, action, {"message": "x" * 2001})
    assert long.status_code == 400
    message = "We have retrofitted 40,000 street lights in Nordic towns."
    assert post_form(client, url, action, {"message": message}).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Interest)) == 1
    again = post_form(client, "/opportunities", action, {"message": message})
    assert again.status_code == 400
    assert "already expressed interest" in again.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Interest)) == 1


def test_interest_in_an_unpublished_project_is_refused(client, login, world):
    login("lumen@example.org")
    action = f"/opportunities/{world['draft']}/interest"
    response = post_form(client, "/opportunities", action, {"message": "m" * 40})
    assert response.status_code == 404


def test_partner_sees_only_its_own_interests(app, client, login, world):
    with app.app_context():
        db.session.add_all(
            [
                Interest(
                    partner_id=world["lumen"], project_id=world["lights"], message="Lumen's note"
                ),
                Interest(
                    partner_id=world["fibreco"], project_id=world["fibre"], message="Fibre's note"
                ),
            ]
        )
        db.session.commit()
    login("lumen@example.org")
    page = client.get("/opportunities/interests")
    assert page.status_code == 200
    assert "Lumen&#39;s note" in page.text and "submitted" in page.text
    assert "Fibre&#39;s note" not in page.text
    # a partner cannot preview another partner's interests
    other = client.get(f"/opportunities/interests?partner={world['fibreco']}")
    assert "Fibre&#39;s note" not in other.text


def test_staff_preview_and_roles(client, login, world):
    login("staff@example.org")
    chooser = client.get("/opportunities")
    assert chooser.status_code == 200 and "Partner (staff preview)" in chooser.text
    preview = client.get(f"/opportunities?partner={world['fibreco']}")
    assert titles(preview)[0] == "Open-access fibre"
    assert client.get("/opportunities?partner=99999").status_code == 404


def test_city_accounts_are_refused(client, login, world):
    login("city@example.org")
    assert client.get("/opportunities").status_code == 403
    assert client.get(f"/opportunities/{world['lights']}").status_code == 403
    assert client.get("/opportunities/interests").status_code == 403


def test_anonymous_is_sent_to_login(client, world):
    for url in ("/opportunities", f"/opportunities/{world['lights']}", "/opportunities/interests"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_opportunities_sort_by_capex_in_eur_or_newest_first(app, client, login, world):
    from datetime import UTC, datetime

    from app.models import Project

    with app.app_context():
        for title, day in (("LED street lighting", 3), ("Open-access fibre", 1)):
            row = db.session.scalar(sa.select(Project).where(Project.title == title))
            row.published_at = datetime(2026, 11, day, tzinfo=UTC)
        db.session.commit()
    login("lumen@example.org")
    # USD 25 m (about EUR 23 m) > EUR 10-20 m > EUR 3.9 m
    assert titles(client.get("/opportunities?sort=capex")) == [
        "Open-access fibre",
        "District heat pump",
        "LED street lighting",
    ]
    # published 3 and 1 November; the heat pump has no publication date: last
    assert titles(client.get("/opportunities?sort=newest")) == [
        "LED street lighting",
        "Open-access fibre",
        "District heat pump",
    ]
    page = client.get("/opportunities?sort=capex")
    assert "largest capex first" in page.text
    assert client.get("/opportunities?sort=sideways").status_code == 400


def test_the_capex_filter_converts_any_currency_to_eur(app, client, login, world):
    from app.models import Project

    with app.app_context():
        row = db.session.scalar(sa.select(Project).where(Project.title == "LED street lighting"))
        row.currency = "NOK"  # 3.9 m NOK is about EUR 0.33 m, not EUR 3.9 m
        db.session.commit()
    login("lumen@example.org")
    assert "LED street lighting" in titles(client.get("/opportunities?capex_max=1"))
    assert "LED street lighting" not in titles(client.get("/opportunities?capex_min=1"))
