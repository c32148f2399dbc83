"""A city's request to the programme, in the browser: the city committee files it, staff
tick each stage's checklist, are stopped without a team, confirm the proposed expert
team with its reasons, and record the mission."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect


def test_a_request_moves_through_the_first_stages(page, sign_in, browser, live_server):
    sign_in("city@example.org")
    page.get_by_role("link", name="Engagements", exact=True).first.click()
    page.get_by_role("link", name="File a request").click()
    page.get_by_label("Who made the request").select_option("city")
    page.get_by_label("Requesting office").fill("Office of the Mayor of Karmøy")
    page.get_by_label("Date of the request (YYYY-MM-DD)").fill(date.today().isoformat())
    page.get_by_role("button", name="File the request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Engagement of Karmøy")
    expect(page.get_by_text("Stage now: Requested")).to_be_visible()
    expect(page.get_by_role("button", name="Save the stage")).to_have_count(0)
    engagement_url = page.url

    staff = browser.new_context(base_url=live_server["url"]).new_page()
    staff.goto("/login")
    staff.get_by_label("E-mail").fill("staff@example.org")
    staff.get_by_label("Password").fill("browser-test-password")
    staff.get_by_role("button", name="Sign in").click()
    staff.wait_for_url("**/")
    staff.goto(engagement_url)

    staff.get_by_role("button", name="Move to Accepted").click()
    expect(staff.get_by_role("alert")).to_contain_text("cannot be left yet")
    staff.get_by_label("Owner of this stage").fill("Programme officer A")
    staff.get_by_label(re.compile("formal request letter")).check()
    staff.get_by_label(re.compile("contact person is named")).check()
    staff.get_by_role("button", name="Save the stage").click()
    staff.get_by_role("button", name="Move to Accepted").click()
    expect(staff.get_by_text("Stage now: Accepted")).to_be_visible()

    for item in ("acceptance reply", "focal point", "City Organizing Committee"):
        staff.get_by_label(re.compile(item)).check()
    staff.get_by_role("button", name="Save the stage").click()
    staff.get_by_role("button", name="Move to Team formed").click()
    expect(staff.get_by_role("alert")).to_contain_text("Confirm the expert team first")

    staff.get_by_role("link", name="Propose a team").click()
    expect(staff.get_by_role("heading", name="What the team must cover")).to_be_visible()
    expect(staff.get_by_text(re.compile("Why: covers")).first).to_be_visible()
    staff.get_by_role("button", name="Confirm the ticked experts").click()
    expect(staff.get_by_text("The expert team was confirmed.")).to_be_visible()
    staff.get_by_role("button", name="Move to Team formed").click()
    expect(staff.get_by_text("Stage now: Team formed")).to_be_visible()

    staff.get_by_role("link", name="Record a mission").click()
    staff.get_by_label("First day (YYYY-MM-DD)").fill(date.today().isoformat())
    staff.get_by_label("Last day (YYYY-MM-DD)").fill((date.today() + timedelta(days=2)).isoformat())
    staff.get_by_label(re.compile("Participants")).fill("Ingrid Solheim (demo)\nCity focal point")
    staff.get_by_role("button", name="Record the mission").click()
    staff.get_by_label("Environment").fill("Renewable share below target.")
    staff.get_by_role("button", name="Save the findings").click()
    expect(staff.get_by_text("Renewable share below target.").first).to_be_visible()

    page.goto("/engagements")
    expect(page.get_by_role("cell", name="Team formed")).to_be_visible()
    staff.context.close()
