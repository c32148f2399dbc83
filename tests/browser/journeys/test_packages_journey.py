"""Product packages, one journey per role: staff run the grouping (a job) and see the
development levels, compose, edit and publish the package of Karmøy's level with its
indicative appraisal; a partner finds it among opportunities with its fit, proposes a
consortium and expresses interest as it; the Karmøy city account sees its level, its
package, why, and the KPIs it would move."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_staff_compose_partner_interest_city_sees_package(page, sign_in):
    sign_in("staff@example.org")
    page.get_by_role("link", name="Packages", exact=True).first.click()
    page.get_by_role("button", name=re.compile("Run the grouping")).click()
    # the job's page refreshes itself and comes back to the levels when done
    expect(page.get_by_role("heading", name="Development levels")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile(r"Grouping made on .* on \d+ cities"))).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Level 1 of \d+: \d+ cities, typical attainment"))
    ).to_be_visible()
    level = page.locator("article.level").filter(has_text="Karmøy")
    level.get_by_role("button", name=re.compile("Compose a package")).click()
    expect(page.get_by_role("heading", name="The gaps the members share")).to_be_visible()
    expect(page.get_by_text("Economic NPV (ENPV)")).to_be_visible()
    expect(
        page.get_by_role("heading", name="What the economic benefits are based on")
    ).to_be_visible()
    page.get_by_label("Title").fill("Smart energy for leading towns")
    page.get_by_role("button", name="Save text").click()
    expect(page.get_by_text("Saved the title and description.")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(re.compile("Published: partners and member cities"))).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in("partner@example.org")
    page.get_by_role("link", name="Opportunities", exact=True).first.click()
    page.get_by_role("link", name="product packages").click()
    page.get_by_role("link", name="Smart energy for leading towns").click()
    expect(page.get_by_text(re.compile("Fit to the whole package"))).to_be_visible()
    picker = page.get_by_role("group", name="Other members of your consortium")
    picker.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Show the consortium's fit").click()
    expect(
        page.get_by_role("heading", name="Your consortium's fit to the whole package")
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"Consortium fit \d\.\d\d of 1"))).to_be_visible()
    expect(page.get_by_text("You express interest as the consortium above")).to_be_visible()
    page.get_by_label("Your message to the programme team").fill(
        "We can deliver the energy solutions in all of these towns under one contract."
    )
    page.get_by_role("button", name="Express interest").click()
    expect(
        page.get_by_text(re.compile("Your interest as a consortium in the package was sent"))
    ).to_be_visible()
    expect(page.get_by_text(re.compile("as a consortium of 2 partners"))).to_be_visible()
    assert page.goto("/packages/compose").status == 405
    page.get_by_role("button", name="Sign out").click()

    sign_in("city@example.org")
    page.get_by_role("link", name="Our package").click()
    expect(
        page.get_by_text(re.compile(r"Karmøy is at development level \d+ of \d+"))
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"Grouping made on .* on \d+ cities"))).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Why: it was composed for the cities of level"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name="How it would move your KPIs")).to_be_visible()
    expect(page.get_by_role("link", name="Smart energy for leading towns")).to_be_visible()
