"""Every page each role reaches from its dashboard: no broken link, no server error, no
console error, no serious or critical axe-core violation, and no page wider than a
390 px phone.

The walk follows links the way a visitor would: same-origin links only, GET only,
breadth first from "/". It is bounded so it runs in a few minutes on two cores: at
most `MAX_PAGES` pages rendered per role, and a few representatives of each URL
pattern (ids stand for "<id>", query values are dropped), since the hundredth project
page is made by the same template as the first. Further links of a pattern already
rendered are only asked for their status. Downloads (xlsx, csv, pdf, json, graphml)
are asked for their status and never rendered.

The walk runs at a phone's width (390 px), where layouts break first (a table that fits
a desktop may need to scroll here). Every rendered page is checked for its status,
console errors, the axe-core rules (impact serious or critical fails) and horizontal
overflow of the page itself (a wide table scrolling inside its own container does not
count).
"""

from __future__ import annotations

import re
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import PHONE

MAX_PAGES = 60
#: representatives rendered per URL pattern, and the pattern's links only status-checked
RENDERED_PER_PATTERN = 1
RENDERED_FOR = {"/projects/<id>": 3, "/cities/<id>": 2, "/bundles/<id>": 2}
STATUS_CHECKED_PER_PATTERN = 3
DOWNLOADS = (".xlsx", ".csv", ".pdf", ".json", ".graphml")
#: links that sign out or change state (GET is safe here, but to be sure)
SKIPPED = re.compile(r"/logout|/sign-?out|/static/")
FAILING_IMPACTS = ("serious", "critical")
#: Third-party widgets left out of the axe run: Swagger UI (/api/v1/docs, from the
#: swagger-ui-bundle package) nests its copy buttons in its operation buttons and greys
#: its version stamps; its own markup is not ours to change. The page around it is checked.
AXE_CONTEXT = {"exclude": [["#swagger-ui"]]}
#: axe-core's default rules and WCAG 2.2 AA's (target size), which it leaves out by default
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}

#: Elements overflowing the page at the phone width, outside any scrolling container.
OVERFLOW_SCRIPT = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return [];
  const scrolls = (el) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const x = getComputedStyle(e).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > root.clientWidth + 1 && !scrolls(el)) {
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
               (el.className && typeof el.className === 'string' ? '.' +
                el.className.trim().split(/\\s+/).join('.') : '') +
               ' (right ' + Math.round(r.right) + ' px)');
      if (out.length >= 3) break;
    }
  }
  return [root.scrollWidth + ' px wide: ' + out.join(', ')];
}"""


@dataclass
class CrawlReport:
    rendered: list[str] = field(default_factory=list)
    status_checked: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def fail(self, url: str, what: str) -> None:
        self.failures.append(f"{url}: {what}")


def pattern_of(url: str) -> str:
    """The URL's shape: numeric path parts become <id>, query values are dropped.

    >>> pattern_of("/projects/12/runs/3?page=2&stage=x")
    '/projects/<id>/runs/<id>?page&stage'
    """
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|\.|$)", "/<id>", parts.path)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


def local_path(base: str, href: str) -> str | None:
    """The path and query of a same-origin link, or None for another site."""
    href, _ = urldefrag(href)
    if not href.startswith(base):
        return None
    parts = urlsplit(href)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return (parts.path or "/") + (f"?{query}" if query else "")


def crawl(page, base: str, *, start: str = "/", max_pages: int = MAX_PAGES) -> CrawlReport:
    report = CrawlReport()
    axe = Axe()
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: console.append(str(error)))
    queue: deque[tuple[str, str]] = deque([(start, "(start)")])
    seen = {start}
    rendered: dict[str, int] = {}
    checked: dict[str, int] = {}
    while queue:
        path, found_on = queue.popleft()
        pattern = pattern_of(path)
        download = urlsplit(path).path.endswith(DOWNLOADS)
        room = RENDERED_FOR.get(pattern, RENDERED_PER_PATTERN)
        if download or rendered.get(pattern, 0) >= room or len(report.rendered) >= max_pages:
            if checked.get(pattern, 0) < STATUS_CHECKED_PER_PATTERN:
                checked[pattern] = checked.get(pattern, 0) + 1
                status = page.request.get(base + path, max_redirects=5).status
                report.status_checked.append(path)
                if status >= 400:
                    report.fail(path, f"HTTP {status} (linked from {found_on})")
            continue
        rendered[pattern] = rendered.get(pattern, 0) + 1
        console.clear()
        response = page.goto(base + path)
        report.rendered.append(path)
        if response is None or response.status >= 400:
            status = response.status if response else "no response"
            report.fail(path, f"HTTP {status} (linked from {found_on})")
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        _check_page(page, axe, path, report)
        for message in console:
            report.fail(path, f"console error: {message}")
        for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)"):
            link = local_path(base, href)
            if link and link not in seen and not SKIPPED.search(link):
                seen.add(link)
                queue.append((link, path))
    return report


def _check_page(page, axe: Axe, path: str, report: CrawlReport) -> None:
    # what folded disclosures hold is checked too (axe skips hidden content)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    results = axe.run(page, context=AXE_CONTEXT, options=AXE_OPTIONS)
    for violation in results.response["violations"]:
        if violation["impact"] in FAILING_IMPACTS:
            targets = "; ".join(
                " ".join(node["target"]) if isinstance(node["target"][0], str) else "?"
                for node in violation["nodes"][:3]
            )
            report.fail(
                path,
                f"axe {violation['impact']} {violation['id']}: {violation['help']} "
                f"({len(violation['nodes'])} nodes, e.g. {targets})",
            )
    for overflow in page.evaluate(OVERFLOW_SCRIPT):
        report.fail(path, f"overflows at 390 px: {overflow}")


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


def test_the_checks_catch_what_they_look_for(page):
    """A page with a nameless image, pale text and a too wide block fails each check."""
    page.set_viewport_size(PHONE)
    page.set_content(
        '<html lang="en"><head><title>Bad</title></head><body><main>'
        '<img src="data:,"><p style="color:#bbb">pale</p>'
        '<div style="width:900px">wide</div></main></body></html>'
    )
    report = CrawlReport()
    _check_page(page, Axe(), "/bad", report)
    found = "\n".join(report.failures)
    assert "image-alt" in found and "color-contrast" in found, found
    assert "overflows at 390 px: 9" in found, found
    shape = pattern_of("/cities/7/kpis/12/history?year=2020")
    assert shape == "/cities/<id>/kpis/<id>/history?year"
    assert local_path("http://a:1", "http://a:1/x?b=2&a=1#top") == "/x?a=1&b=2"
    assert local_path("http://a:1", "https://elsewhere.org/x") is None
