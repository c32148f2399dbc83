"""Staff make an API token on their account, browse the API's documentation (served by
the platform, no outside CDN), and a script uses the token."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_staff_make_a_token_and_browse_the_api_documentation(page, sign_in):
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None
        ),
    )
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    sign_in("staff@example.org")
    page.goto("/account")
    page.get_by_role("link", name="manage your API tokens").click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    page.get_by_label("Name (where the token is used)").fill("browser journey")
    page.get_by_label("Valid").select_option("30")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_text("Copy it now: it is not shown again.")).to_be_visible()
    token = page.get_by_label("Token", exact=True).input_value()
    assert re.fullmatch(r"usc_[\w-]{40,}", token), token
    expect(page.get_by_role("cell", name="browser journey", exact=True)).to_be_visible()

    page.get_by_role("link", name="JSON API").click()
    expect(page.locator(".swagger-ui .title")).to_contain_text("United Smart Cities API")
    expect(page.get_by_text("/api/v1/opportunities", exact=True).first).to_be_visible()
    assert not outside, f"the documentation fetched outside the platform: {outside}"
    assert not [p for p in problems if "Content Security Policy" in p], problems

    answer = page.request.get("/api/v1/cities?q=Karm", headers={"Authorization": f"Bearer {token}"})
    assert answer.ok and answer.json()["items"][0]["name"] == "Karmøy"
    refused = page.request.get("/api/v1/cities")  # the browser's cookie opens no API door
    assert refused.status == 401
