"""A rejected appraisal marks its failed tests with a red cross, not a green "+"."""

from __future__ import annotations

import sqlalchemy as sa

from app.models import AppraisalRun


def test_failed_reasons_of_a_reject_are_crossed_in_red(page, sign_in, live_server):
    # Read beside the server (an app context cannot open in Playwright's thread).
    engine = sa.create_engine(live_server["app"].config["SQLALCHEMY_ENGINES"]["default"])
    with engine.connect() as connection:
        run = connection.execute(
            sa.select(AppraisalRun.id, AppraisalRun.project_id)
            .where(AppraisalRun.verdict == "reject")
            .limit(1)
        ).first()
    engine.dispose()
    assert run is not None, "the demo set needs a rejected project"
    url = f"/projects/{run.project_id}/runs/{run.id}"
    sign_in("staff@example.org")
    page.goto(url)
    failed = page.locator(".verdict-reasons li.failed").first
    assert failed.inner_text().startswith("Failed:")
    marker = failed.evaluate("li => getComputedStyle(li, '::marker').content")
    colour = failed.evaluate("li => getComputedStyle(li, '::marker').color")
    assert "✗" in marker and colour == "rgb(138, 0, 24)", (marker, colour)
