"""Staff invite a city committee member, who sets a password with the link and lands
signed in on their city's dashboard."""

from __future__ import annotations

import re

from playwright.sync_api import expect

NEW_PASSWORD = "a committee password"


def test_staff_invite_a_karmoy_committee_member_who_sets_a_password(page, sign_in):
    sign_in("staff@example.org")
    page.get_by_role("link", name="Users", exact=True).first.click()
    expect(page.get_by_role("heading", name="Users")).to_be_visible()
    page.get_by_role("link", name="Invite a user").click()
    page.get_by_label("E-mail").fill("ingrid.committee@karmoy.example")
    page.get_by_label("Name (optional)").fill("Ingrid Haugland")
    page.get_by_label("Role").select_option("city")
    page.get_by_label("City (for a city committee member)").select_option(
        label="Karmøy (karmoy-no)"
    )
    page.get_by_role("button", name="Invite and show the link").click()
    expect(page.get_by_role("heading", name=re.compile("Set-password link for"))).to_be_visible()
    link = page.get_by_label("Set-password link").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/invite/[\w-]{40,}", link), link
    expect(page.get_by_text(re.compile("Copy the link"))).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")

    page.goto(link)
    expect(page.get_by_role("heading", name="Set your password")).to_be_visible()
    expect(page.get_by_text("ingrid.committee@karmoy.example").first).to_be_visible()
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the password and sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_text("ingrid.committee@karmoy.example (city)")).to_be_visible()
    expect(page.get_by_role("heading", name="City committee of Karmøy")).to_be_visible()
    page.get_by_role("link", name="Your city's profile").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Karmøy")

    used = page.goto(link)  # the link worked once
    assert used is not None and used.status == 410
    expect(page.get_by_text(re.compile("used already"))).to_be_visible()
    assert page.goto("/admin/users").status == 403
