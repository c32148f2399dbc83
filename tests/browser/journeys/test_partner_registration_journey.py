"""A new partner registers, is approved by staff, edits its profile and finds
opportunities whose fit reads its capabilities from the programme's list."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_a_partner_registers_is_approved_edits_and_finds_opportunities(page, sign_in):
    page.goto("/login")
    page.get_by_role("link", name="Register as a partner").click()
    page.get_by_label("Organisation name").fill("Nordlys Lys AS")
    page.get_by_label("Kind of partner").select_option("technology_company")
    page.get_by_label("Countries where you work").fill("NO, SE")
    page.get_by_label("Energy", exact=True).check()
    page.locator("summary").filter(has_text=re.compile(r"^Energy$")).click()  # its capabilities
    page.get_by_label("LED street and building lighting").check()
    page.get_by_label("Smallest ticket").fill("200 000")
    page.get_by_label("Largest ticket").fill("9 000 000")
    page.get_by_label("Your e-mail").fill("post@nordlys.example")
    page.get_by_label("Password (at least 10 characters)").fill("nordlys-password")
    page.get_by_label("Password again").fill("nordlys-password")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("status")).to_contain_text("waits for review")

    page.goto("/login")
    page.get_by_label("E-mail").fill("post@nordlys.example")
    page.get_by_label("Password").fill("nordlys-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("waits for review")

    sign_in("staff@example.org")
    page.goto("/partners")
    page.get_by_role("link", name=re.compile("Registrations waiting for review: 1")).click()
    card = page.locator("section", has_text="Nordlys Lys AS")
    expect(card).to_contain_text("LED street and building lighting")
    card.get_by_label("Decision").select_option("approved")
    card.get_by_role("button", name=re.compile("Record the decision")).click()
    expect(page.get_by_role("status")).to_contain_text("Nordlys Lys AS: approved")
    page.get_by_role("button", name="Sign out").click()

    page.goto("/login")
    page.get_by_label("E-mail").fill("post@nordlys.example")
    page.get_by_label("Password").fill("nordlys-password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Your profile").click()
    page.get_by_role("link", name="Edit the profile").click()
    page.get_by_label("Energy performance contracting (ESCO)").check()
    page.get_by_role("button", name="Save the profile").click()
    expect(page.get_by_role("status")).to_contain_text("The profile was saved")
    expect(page.locator("dd", has_text="Energy performance contracting (ESCO)")).to_be_visible()

    page.goto("/opportunities")
    karmoy = page.locator("li, article, tr", has_text="LED street lighting for Karmøy").first
    expect(karmoy).to_contain_text("works in Energy")
    karmoy.get_by_role("link", name=re.compile("LED street lighting for Karmøy")).first.click()
    expect(
        page.get_by_role("cell", name=re.compile("offers 2 of 3 needed capabilities"))
    ).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("lacks civil-works"))).to_be_visible()
