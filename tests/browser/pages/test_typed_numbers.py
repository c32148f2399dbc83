"""What a Norwegian committee member types in Chromium reaches the server as typed."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def report_form(page, sign_in, year: str, narrative: str):
    """The Karmøy committee's progress report form, filled but for the KPI values;
    returns the first KPI's "actual value" input."""
    sign_in("city@example.org")
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="Your city's profile").click()
    page.get_by_role("link", name="File a progress report").click()
    page.get_by_label("Year reported on").fill(year)
    page.get_by_label("What happened this year").fill(narrative)
    return page.get_by_label(re.compile("^Actual value of")).first


def test_a_decimal_comma_in_a_progress_report_is_stored_as_a_decimal(page, sign_in):
    first_actual = report_form(page, sign_in, "2023", "Meters installed in the first zone.")
    assert first_actual.get_attribute("type") == "text"  # a number input would drop the comma
    first_actual.fill("82,5")
    page.get_by_role("button", name="File the progress report").click()
    expect(page.get_by_text("Meters installed in the first zone.")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(r"^82\.50\b")).first).to_be_visible()


def test_an_unreadable_number_keeps_the_text_and_says_what_to_type(page, sign_in):
    report_form(page, sign_in, "2022", "Survey of the network.").fill("1,234")
    page.get_by_role("button", name="File the progress report").click()
    expect(page.get_by_text(re.compile("could be 1234 .* or 1.234"))).to_be_visible()
    expect(page.get_by_label(re.compile("^Actual value of")).first).to_have_value("1,234")
