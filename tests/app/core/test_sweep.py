"""A property-based sweep of every door: generated bad values in every form field and
query parameter of every page a role reaches, on each database backend.

Each example is one round: as each role, every form found by crawling is sent once per
field with that field replaced by a generated bad value (the rest as the page filled
it), and every query parameter likewise. The sweep fails on any 5xx, and, after the
round, on any page that then answers 5xx (a stored value that breaks a page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.app.cities import test_profiles
from tests.app.conftest import PASSWORD

world = test_profiles.world  # the shared fixture

ACCOUNTS = {
    "staff": "staff@example.org",
    "city": "city@example.org",
    "partner": "partner@example.org",
}
#: Forms whose success ends the session or the account's access (they are swept by
#: their own tests).
SKIP_ACTIONS = ("/logout", "/account", "/login")
MAX_PAGES = 40

BAD_TEXT = [
    "NaN", "sNaN", "-inf", "Infinity", "1e308", "-1e308", "99999999999999999999999",
    "-99999999999999999999999", "2147483648", "82,5", "1.234,5", "1,234", "abc", "", " ",
    "\x00", "a\x00b", "\x1b[31m", "x" * 20_000, "<script>alert(1)</script>", "-1", "0",
    "1e-400", "１２３", "💥", "'; DROP TABLE project; --", "%", "null", "[]", "true",
]  # fmt: skip
BAD = (
    st.sampled_from(BAD_TEXT)
    | st.text(max_size=40)
    | st.integers(-(10**30), 10**30).map(str)
    | st.floats(allow_nan=True, allow_infinity=True).map(repr)
)


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)


class FormReader(HTMLParser):
    """Every form of a page with the values the page filled in, and its links."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page, self.forms, self.links = page, [], []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"].split("#")[0])
        if tag == "form":
            action = a.get("action") or self.page
            self._form = Form(self.page, action, a.get("method", "get").lower())
            self.forms.append(self._form)
        if self._form is None or "name" not in a and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "checkbox", "radio"):
            self._form.fields.append((a["name"], a.get("value", "")))
        elif tag == "input" and "checked" in a:
            self._form.fields.append((a["name"], a.get("value", "on")))
        elif tag == "select":
            self._select, self._first_option = a["name"], None
        elif tag == "option" and self._select:
            if self._first_option is None or "selected" in a:
                self._first_option = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form.fields.append((a["name"], ""))

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            name, value = self._form.fields[-1]
            self._form.fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "select" and self._form is not None and self._select:
            self._form.fields.append((self._select, self._first_option or ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def crawl(client, start: list[str]) -> tuple[dict[str, int], list[Form]]:
    """GET every page reachable from ``start`` (bounded): status per URL and the forms."""
    queue, statuses, forms = list(start), {}, []
    while queue and len(statuses) < MAX_PAGES:
        url = queue.pop(0)
        if url in statuses or url.startswith(("/static/", "/logout")):
            continue
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code == 200 and response.mimetype == "text/html":
            reader = FormReader(url)
            reader.feed(response.text)
            forms.extend(f for f in reader.forms if not f.action.startswith(SKIP_ACTIONS))
            queue.extend(link for link in reader.links if link not in statuses)
    return statuses, forms


def sign_in(client, role: str) -> None:
    from tests.app.conftest import csrf_token

    token = csrf_token(client.get("/login"))
    client.post("/login", data={"email": ACCOUNTS[role], "password": PASSWORD, "csrf_token": token})


def send(client, form: Form, fields: list[tuple[str, str]]):
    if form.method == "post":
        return client.post(form.action, data=MultiDict(fields))
    path = urlsplit(form.action).path
    return client.get(f"{path}?{urlencode(fields)}")


@settings(
    max_examples=2,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure prints its round
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_generated_bad_value_gives_a_server_error_on_any_page(app, world, data):
    start = ["/", "/cities", "/projects", "/partners", "/bundles", "/pipeline", "/monitoring",
             "/opportunities", "/twinning", f"/cities/{world['karmoy']}",
             f"/cities/{world['bizerte']}"]  # fmt: skip
    failures, sent = [], dict.fromkeys(ACCOUNTS, 0)
    for role in ACCOUNTS:
        client = app.test_client()
        sign_in(client, role)
        statuses, forms = crawl(client, start)
        for form in forms:
            names = [name for name, _ in form.fields if name != "csrf_token"]
            for name in names:
                bad = data.draw(BAD, label=f"{role} {form.action} {name}")
                fields = [(n, bad if n == name else v) for n, v in form.fields]
                status = send(client, form, fields).status_code
                sent[role] += 1
                if status >= 500:
                    failures.append((role, form.method, form.action, name, bad[:40], status))
                if client.get("/").status_code != 200:  # the session ended: sign in again
                    sign_in(client, role)
        for url in [u for u in statuses if "?" in u or u in start]:
            path, query = urlsplit(url).path, parse_qsl(urlsplit(url).query)
            for name in {n for n, _ in query} | {"page"}:
                bad = data.draw(BAD, label=f"{role} {path}?{name}")
                params = [(n, v) for n, v in query if n != name] + [(name, bad)]
                status = client.get(f"{path}?{urlencode(params)}").status_code
                if status >= 500:
                    failures.append((role, "get", path, name, bad[:40], status))
        after, _ = crawl(client, start)  # what was stored must not break a page
        failures += [(role, "get", url, "-", "after the round", s) for url, s in after.items()
                     if s >= 500]  # fmt: skip
    assert not failures, f"server errors: {failures[:10]}"
    assert sent["staff"] > 50 and sent["city"] > 10 and sent["partner"] > 5, sent
