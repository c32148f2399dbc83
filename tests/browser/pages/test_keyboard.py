"""Keyboard alone: the skip link leads into the page, Tab reaches every control of a key
page in turn with a visible focus ring and leaves none trapped, and a disclosure opens
with Enter and with Space. Done at a desktop's and at a phone's width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PASSWORD, PHONE

#: Tags every visible control with data-kb="<n>" in document order and returns their count.
TAG_CONTROLS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, ' +
                   '[tabindex]:not([tabindex="-1"])';
  const controls = [...document.querySelectorAll(selector)].filter(
    (el) => !el.disabled && !el.closest('.skip') &&
            el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true}));
  controls.forEach((el, i) => { el.dataset.kb = String(i); });
  return controls.length;
}"""

#: What has the focus now: its data-kb tag, a name for messages, whether a ring shows.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) ||
               style.boxShadow !== 'none';
  const r = el.getBoundingClientRect();
  const onScreen = r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
  const name = el.tagName.toLowerCase() + ' "' +
               (el.getAttribute('aria-label') || el.textContent || el.name || el.id || '')
               .trim().slice(0, 40) + '"';
  return {kb: el.dataset.kb ?? null, name, ring, onScreen, skip: el.classList.contains('skip')};
}"""


def tab_through(page, *, limit: int = 400) -> list[dict]:
    """Tab from the top of the page until the focus comes back round to the skip link."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue  # the browser's own UI between the page's last and first stops
        if focused["skip"] and seen:
            return seen
        seen.append(focused)
    pytest.fail(f"the focus never came back to the skip link in {limit} Tabs: a trap?")


def check_every_control_is_reached(page, path: str) -> None:
    page.goto(path)
    count = page.evaluate(TAG_CONTROLS)
    assert count > 3, f"{path}: only {count} controls"
    page.locator("body").focus()
    stops = tab_through(page, limit=count + 40)
    problems = [f"{s['name']}: no visible focus ring" for s in stops if not s["ring"]]
    problems += [f"{s['name']}: focused off screen" for s in stops if not s["onScreen"]]
    reached = {s["kb"] for s in stops}
    missed = [str(i) for i in range(count) if str(i) not in reached]
    if missed:
        names = page.evaluate(
            "ids => ids.map(i => document.querySelector(`[data-kb='${i}']`).outerHTML"
            ".slice(0, 80))",
            missed[:5],
        )
        problems.append(f"{len(missed)} controls never reached by Tab, e.g. {names}")
    assert not problems, f"{path}:\n" + "\n".join(problems)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_sign_in_by_keyboard_through_the_skip_link(page, viewport):
    page.set_viewport_size(viewport)
    page.goto("/login")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert page.evaluate(FOCUSED)["ring"] and page.evaluate(FOCUSED)["onScreen"]
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("E-mail")).to_be_focused()
    page.keyboard.type("staff@example.org")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Programme staff")).to_be_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_tab_reaches_every_control_of_key_pages_with_a_visible_ring(page, sign_in, viewport):
    page.set_viewport_size(viewport)
    check_every_control_is_reached(page, "/login")
    sign_in("staff@example.org")
    for path in ("/", "/projects/new", "/cities/3", "/projects/1/cashflows"):
        check_every_control_is_reached(page, path)


def test_a_disclosure_opens_with_enter_and_with_space(page, sign_in):
    sign_in("staff@example.org")
    page.goto("/cities/3")
    page.locator("details:not([open]) > summary:visible").first.evaluate(
        "summary => { summary.parentElement.dataset.chosen = 'yes'; }"
    )
    details = page.locator("details[data-chosen]")
    summary = details.locator("> summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    page.keyboard.press("Space")
    expect(details).not_to_have_attribute("open", "")
