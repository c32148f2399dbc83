"""Programme staff, end to end: from a city's gap to an appraised, published, matched
project, then the bundle, the pipeline and the twin cities."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_staff_from_gap_to_appraised_published_and_matched_project(page, sign_in):
    sign_in("staff@example.org")
    page.get_by_role("link", name="Cities", exact=True).first.click()
    page.get_by_role("link", name="Karmøy").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Karmøy")
    expect(page.get_by_text(re.compile(r"of target")).first).to_be_visible()

    page.get_by_role("link", name="Largest gaps and suggested solutions").click()
    page.get_by_role("link", name=re.compile("Formulate a project")).first.click()
    expect(page.get_by_role("heading", name="Formulate a project")).to_be_visible()
    page.get_by_label("Title").fill("Browser journey project")
    page.get_by_role("button", name="Save project").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Browser journey project")
    project_url = page.url

    page.get_by_role("button", name="Run appraisal").click()
    expect(page.get_by_role("heading", name=re.compile("Verdict"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"ENPV")).first).to_be_visible()

    page.goto(project_url)
    page.get_by_role("link", name=re.compile("Publish and match partners")).click()
    page.get_by_role("button", name="Publish to partners").click()
    expect(page.get_by_role("button", name="Unpublish")).to_be_visible()
    expect(page.get_by_role("heading", name="Proposed consortium")).to_be_visible()
    expect(page.get_by_role("heading", name="Ranked partners")).to_be_visible()


def test_staff_sees_the_bundle_pipeline_and_twin_cities(page, sign_in):
    sign_in("staff@example.org")
    page.get_by_role("link", name="Bundles", exact=True).first.click()
    page.get_by_role("link", name=re.compile("Karmøy investment programme")).first.click()
    expect(page.get_by_role("heading", name=re.compile(r"Selection: \d+ project"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Budget curve"))).to_be_visible()
    expect(page.locator("svg").first).to_be_visible()

    page.get_by_role("link", name="Pipeline", exact=True).first.click()
    expect(page.get_by_text(re.compile("formulated", re.I)).first).to_be_visible()

    page.get_by_role("link", name="Twinning", exact=True).first.click()
    expect(page.get_by_role("heading", name="Twin cities")).to_be_visible()
