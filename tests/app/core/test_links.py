"""Never a link to a page the viewer may not open: every role's pages, crawled."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.app.cities import test_profiles
from tests.app.conftest import PASSWORD

world = test_profiles.world  # the shared fixture

ACCOUNTS = {
    "staff": "staff@example.org",
    "city": "city@example.org",
    "other city": "other@example.org",
    "partner": "partner@example.org",
}
MAX_PAGES = 120
SKIP = ("/logout", "/static/", "/login")


def links(html: str) -> list[str]:
    found = (unescape(href) for href in re.findall(r'href="(/[^"#]*)', html))
    return [href for href in found if not href.startswith(SKIP)]


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_every_link_a_role_sees_opens(client, login, world, role):
    login(ACCOUNTS[role], PASSWORD)
    queue = [
        "/",
        "/cities",
        "/projects",
        f"/cities/{world['karmoy']}",
        f"/cities/{world['bizerte']}",
    ]
    seen: set[str] = set()
    broken = []
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        response.close()  # a file sent from disk (an image, a download) is closed, read or not
        if response.status_code in (401, 403) or response.status_code >= 500:
            broken.append((url, response.status_code))
            continue
        if response.status_code == 200 and response.mimetype == "text/html":
            queue.extend(link for link in links(response.text) if link not in seen)
    assert len(seen) > 5
    assert not broken, f"{role} is shown links it may not open: {broken}"
