"""Each role signs in, lands on its dashboard, and is refused what is not its own."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_staff_signs_in_and_browses_the_seeded_data(page, sign_in):
    sign_in("staff@example.org")
    expect(page.get_by_role("heading", name="Programme staff")).to_be_visible()
    page.get_by_role("link", name="Cities", exact=True).first.click()
    expect(page.get_by_role("heading", name="Cities")).to_be_visible()
    expect(page.get_by_role("link", name="Stavanger")).to_be_visible()
    page.get_by_role("link", name="Projects", exact=True).first.click()
    expect(page.get_by_text("illustrative").first).to_be_visible()


def test_wrong_password_is_refused_in_the_browser(page):
    page.goto("/login")
    page.get_by_label("E-mail").fill("staff@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("The e-mail or the password is wrong")).to_be_visible()


def test_partner_is_refused_staff_pages(page, sign_in):
    sign_in("partner@example.org")
    response = page.goto("/partners")
    assert response.status == 403
    expect(page.get_by_text(re.compile("for staff accounts"))).to_be_visible()


def test_anonymous_is_sent_to_login(page):
    page.goto("/projects")
    expect(page).to_have_url(re.compile(r"/login"))


def test_narrow_screen_keeps_the_navigation_usable(page, sign_in):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in("city@example.org")
    expect(page.get_by_role("heading", name=re.compile("City committee of"))).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
