"""Every page each role reaches from its dashboard: no broken link, no server error, no
console error, no serious or critical axe-core violation, and no page wider than a
390 px phone (tests/browser/crawling.py says how the walk is bounded)."""

from __future__ import annotations

import time

import pytest

from tests.browser.crawling import PHONE, crawl


@pytest.mark.parametrize(
    "email",
    ["staff@example.org", "city@example.org", "partner@example.org", None],
    ids=["staff", "city", "partner", "anonymous"],
)
def test_every_reachable_page_works_and_passes_axe(page, sign_in, live_server, email):
    page.set_viewport_size(PHONE)
    if email:
        sign_in(email)
    started = time.monotonic()
    report = crawl(page, live_server["url"])
    took = time.monotonic() - started
    print(
        f"\n{email or 'anonymous'}: {len(report.rendered)} pages rendered, "
        f"{len(report.status_checked)} links status-checked in {took:.0f} s:\n  "
        + "\n  ".join(report.rendered)
    )
    assert len(report.rendered) >= (5 if email else 2), report.rendered
    assert not report.failures, "\n".join(report.failures)
