"""Staff: publish and unpublish (version, audit, stage), the match page, saving matches."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.core.extensions import db
from app.models import AuditLog, Interest, InterestStatus, Match, Project, Stage
from tests.app.partners.test_matches_world import post_form, world_fixture  # noqa: F401  (fixture "world")


def _project(app, project_id):
    with app.app_context():
        return db.session.get(Project, project_id)


def test_publish_moves_stage_sets_date_and_audits(app, client, login, world):
    login("staff@example.org")
    before = _project(app, world["draft"])
    url = f"/projects/{world['draft']}/matches"
    response = post_form(
        client, url, f"/projects/{world['draft']}/publish", {"version": before.version}
    )
    assert response.status_code == 302
    after = _project(app, world["draft"])
    assert after.published and after.published_at is not None
    assert after.stage is Stage.PUBLISHED and after.version == before.version + 1
    with app.app_context():
        entry = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "publish")).one()
    assert entry.entity_id == str(world["draft"])
    assert entry.changes["stage"] == {"from": "appraised", "to": "published"}


def test_unpublish_restores_the_stage_before_publishing(app, client, login, world):
    login("staff@example.org")
    url = f"/projects/{world['draft']}/matches"
    version = _project(app, world["draft"]).version
    post_form(client, url, f"/projects/{world['draft']}/publish", {"version": version})
    response = post_form(
        client, url, f"/projects/{world['draft']}/unpublish", {"version": version + 1}
    )
    assert response.status_code == 302
    after = _project(app, world["draft"])
    assert not after.published and after.published_at is None
    assert after.stage is Stage.APPRAISED
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions[-2:] == ["publish", "unpublish"]


def test_publish_with_a_stale_version_is_a_conflict(app, client, login, world):
    login("staff@example.org")
    version = _project(app, world["draft"]).version
    url = f"/projects/{world['draft']}/matches"
    response = post_form(
        client, url, f"/projects/{world['draft']}/publish", {"version": version - 1}
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.text
    assert not _project(app, world["draft"]).published


def test_publish_from_a_later_stage_keeps_the_stage(app, client, login, world):
    with app.app_context():
        project = db.session.get(Project, world["draft"])
        project.stage = Stage.FINANCED
        db.session.commit()
        version = project.version
    login("staff@example.org")
    url = f"/projects/{world['draft']}/matches"
    post_form(client, url, f"/projects/{world['draft']}/publish", {"version": version})
    after = _project(app, world["draft"])
    assert after.published and after.stage is Stage.FINANCED


def test_only_staff_publish_and_see_matches(app, client, login, world):
    login("lumen@example.org")
    assert client.get(f"/projects/{world['lights']}/matches").status_code == 403
    token = csrf_token_of(client)
    response = client.post(
        f"/projects/{world['draft']}/publish", data={"csrf_token": token, "version": 1}
    )
    assert response.status_code == 403
    assert not _project(app, world["draft"]).published


def csrf_token_of(client):
    from tests.app.conftest import csrf_token

    return csrf_token(client.get("/opportunities"))


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(f"/projects/{world['lights']}/matches")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_match_page_ranks_partners_with_reasons_and_a_consortium(client, login, world):
    login("staff@example.org")
    page = client.get(f"/projects/{world['lights']}/matches")
    assert page.status_code == 200
    text = page.text
    assert "Proposed consortium" in text
    assert "Local company: Vestkyst Local" in text
    assert "Technology company: Lumen Lighting" in text
    assert "International investor or financial institution: Nordic Bank" in text
    assert "works in Energy (the project&#39;s sector)" in text
    assert "Ticket vs capex" in text and "Risk appetite vs project risk" in text
    assert text.index("Lumen Lighting (technology company)") < text.index(
        "Fibre Co (technology company)"
    )


def test_match_page_says_why_no_consortium_can_form(client, login, world):
    login("staff@example.org")
    text = client.get(f"/projects/{world['heat']}/matches").text
    assert "no local company works in Austria" in text
    text = client.get(f"/projects/{world['fibre']}/matches").text
    assert "no local company works in Kenya" in text
    assert "works in Kenya or Sub-Saharan Africa" in text  # no financier there


def test_save_matches_writes_rows_and_moves_to_matched(app, client, login, world):
    login("staff@example.org")
    url = f"/projects/{world['lights']}/matches"
    version = _project(app, world["lights"]).version
    assert post_form(client, url, url, {"version": version}).status_code == 302
    with app.app_context():
        rows = db.session.scalars(sa.select(Match).where(Match.project_id == world["lights"])).all()
        roles = {(m.role, m.partner_id) for m in rows}
        assert ("local", world["local"]) in roles and ("technology", world["lumen"]) in roles
        assert ("finance", world["bank"]) in roles
        ranked = [m for m in rows if m.role == "partner"]
        assert ranked and all(m.reasons and "sector" in m.components for m in ranked)
    assert _project(app, world["lights"]).stage is Stage.MATCHED
    # saving again replaces the proposed rows instead of duplicating them
    post_form(client, url, url, {"version": version + 1})
    with app.app_context():
        again = db.session.scalar(
            sa.select(sa.func.count()).where(Match.project_id == world["lights"])
        )
    assert again == len(rows)


def test_save_matches_needs_a_published_project(app, client, login, world):
    login("staff@example.org")
    url = f"/projects/{world['draft']}/matches"
    version = _project(app, world["draft"]).version
    response = post_form(client, url, url, {"version": version})
    assert response.status_code == 400 and "Publish the project first" in response.text


def test_staff_accept_and_decline_interests(app, client, login, world):
    with app.app_context():
        interest = Interest(
            partner_id=world["lumen"], project_id=world["lights"], message="We light towns." * 3
        )
        db.session.add(interest)
        db.session.commit()
        interest_id = interest.id
    login("staff@example.org")
    url = f"/projects/{world['lights']}/matches"
    page = client.get(url)
    assert "We light towns." in page.text and "submitted" in page.text
    action = f"/projects/{world['lights']}/interests/{interest_id}"
    assert post_form(client, url, action, {"decision": "accept"}).status_code == 302
    with app.app_context():
        assert db.session.get(Interest, interest_id).status is InterestStatus.ACCEPTED
    assert post_form(client, url, action, {"decision": "decline"}).status_code == 302
    with app.app_context():
        assert db.session.get(Interest, interest_id).status is InterestStatus.DECLINED
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).where(AuditLog.action == "decide_interest")
            )
            == 2
        )
    assert post_form(client, url, action, {"decision": "maybe"}).status_code == 400


def test_tickets_and_capex_in_any_currency_are_compared_at_the_newest_rates():
    from app.partners.matchmaking import fx_note, fx_rates
    from appraisal.analysis.world_prices import currency_series
    from matching.fits import fx_factor

    rates = fx_rates()
    assert rates["EUR"] == 1.0 and rates["USD"] == pytest.approx(1 / 1.0824)  # ECB 2024
    tnd_per_usd = currency_series("TND").per_usd[2024]  # World Bank WDI 2024
    assert rates["TND"] == pytest.approx(1 / tnd_per_usd / 1.0824)
    assert fx_factor("EUR", "TND", rates) == pytest.approx(1.0824 * tnd_per_usd)
    assert "World Bank 2024" in fx_note()


def test_a_weak_consortium_member_is_proposed_with_a_warning(client, login, world, monkeypatch):
    """Members fit 0.95, 0.90 and 1.00 here; with the bar at 0.96 two are weak."""
    import matching.consortia

    monkeypatch.setattr(matching.consortia, "WEAK_FIT", 0.96)
    monkeypatch.setattr("app.partners.project_matches.WEAK_FIT", 0.96)
    login("staff@example.org")
    text = client.get(f"/projects/{world['lights']}/matches").text
    proposal = text[text.index("Proposed consortium") : text.index("Ranked partners")]
    assert proposal.count("Weak fit:") == 2
    assert "not how good it is" in proposal
