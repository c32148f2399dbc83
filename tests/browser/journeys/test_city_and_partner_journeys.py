"""The city committee reviews its bundle and reports progress; the partner finds an
opportunity that fits and expresses interest. Each is refused what is not theirs."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_city_reviews_its_bundle_and_files_a_progress_report(page, sign_in):
    sign_in("city@example.org")
    page.get_by_role("link", name="Bundles", exact=True).first.click()
    page.get_by_role("link", name=re.compile("Karmøy investment programme")).first.click()
    expect(page.get_by_role("heading", name=re.compile(r"Selection: \d+ project"))).to_be_visible()
    page.get_by_role("radio", name="Ask for changes").check()
    page.get_by_label(re.compile("Comment")).fill("Please phase the second project one year later.")
    page.get_by_role("button", name="Send review").click()
    expect(page.get_by_text("Please phase the second project one year later.")).to_be_visible()
    expect(page.get_by_text(re.compile("changes requested", re.I)).first).to_be_visible()

    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="Your city's profile").click()
    page.get_by_role("link", name="File a progress report").click()
    page.get_by_label("Year reported on").fill("2025")
    page.get_by_label("What happened this year").fill("Tender for the first project launched.")
    page.get_by_role("button", name="File the progress report").click()
    expect(page.get_by_text("Tender for the first project launched.")).to_be_visible()

    assert page.goto("/projects/new").status == 403
    assert page.goto("/twinning").status == 403


def test_partner_filters_opportunities_and_expresses_interest(page, sign_in):
    sign_in("partner@example.org")
    page.get_by_role("link", name="Opportunities", exact=True).first.click()
    expect(page.get_by_role("heading", name="Opportunities")).to_be_visible()
    page.get_by_label("Delivery model").select_option(index=0)
    page.get_by_role("button", name="Filter").click()
    first = page.locator("main h2 a").first
    title = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", name=re.compile("Why it fits"))).to_be_visible()
    page.get_by_label("Your message to the programme team").fill(
        "We have delivered this kind of project in three Nordic towns and can lead it."
    )
    page.get_by_role("button", name="Express interest").click()
    page.get_by_role("link", name="My interests").first.click()
    expect(page.get_by_text(title).first).to_be_visible()

    assert page.goto("/projects/new").status == 403
    assert page.goto("/twinning").status == 403
    assert page.goto("/pipeline").status == 403
