"""Why an IRR is undefined is said once per page, then referred to (issue 18: the same
sentence stood six or seven times on a run page)."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from app.appraisals.service import appraise_missing
from app.core.extensions import db
from app.models import AppraisalRun
from app.seeding import seed_database
from tests.app.conftest import PASSWORD


def _text(page) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text)))


def test_each_undefined_rate_reason_is_said_once_per_page(app, client, login):
    with app.app_context():
        seed_database(demo=True, demo_password=PASSWORD)
        appraise_missing()
        runs = [
            (run.project_id, run.id, notes)
            for run in db.session.scalars(select(AppraisalRun))
            if (notes := {
                run.results["financial"]["frr_c_note"],
                run.results["financial"]["frr_k_note"],
                run.results["economic"]["err_note"],
            } - {""})
        ]  # fmt: skip
    assert runs, "the demo set has projects whose IRR is undefined"
    login("staff@example.org")
    for project_id, run_id, notes in runs:
        for url in (f"/projects/{project_id}/runs/{run_id}", f"/projects/{project_id}"):
            text = _text(client.get(url))
            for note in notes:
                assert text.count(note) == 1, (url, note, text.count(note))
            assert "see note" in text or len(notes) == 1, url


def test_a_run_outside_the_eu_speaks_of_a_grant_at_its_sets_rate_not_an_eu_grant(
    app, client, login
):
    """Karmøy's runs use Norway's R-109 set (co-financing 0 %): its page said "EU grant"."""
    with app.app_context():
        seed_database(demo=True, demo_password=PASSWORD)
        appraise_missing()
        run = next(
            r for r in db.session.scalars(select(AppraisalRun))
            if "R-109" in r.parameter_set_label or "r109" in r.parameter_set.lower()
        )  # fmt: skip
        project_id, run_id = run.project_id, run.id
    login("staff@example.org")
    text = _text(client.get(f"/projects/{project_id}/runs/{run_id}"))
    assert "EU grant" not in text
    assert "co-financing rate (0 %: the EU's rule" in text
