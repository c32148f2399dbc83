"""The city PROFILE as a PDF: what it shows, to whom, and that it fetches nothing."""

from __future__ import annotations

import io
import re
import socket
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from app.core.extensions import db
from app.models import (
    AppraisalRun,
    Bundle,
    BundleItem,
    BundleStatus,
    Decision,
    KpiValue,
    Review,
    User,
)
from app.publication.rendering import StaticFilesOnly, html_to_pdf
from tests.app.cities import test_profiles
from tests.app.conftest import PASSWORD

world = test_profiles.world  # the shared fixture

STATIC = Path(__file__).resolve().parents[3] / "app" / "static"
CODES = ("EC: ICT: ICT: 1C", "EC: I: WS: 3C", "SC: H: H: 1C")


def squeeze(text: str) -> str:
    """Text without whitespace: a PDF's lines wrap where the layout wants."""
    return "".join(text.split())


def pdf_pages(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return [page.extract_text() for page in reader.pages]


def test_anonymous_visitors_are_sent_to_login(client, world):
    response = client.get(f"/cities/{world['karmoy']}/profile.pdf")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_staff_get_the_profile_with_cover_kpis_sources_and_page_numbers(client, login, world):
    login("staff@example.org", PASSWORD)
    response = client.get(f"/cities/{world['karmoy']}/profile.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r"attachment; filename=profile-karmoy-no-[\d-]{10}\.pdf", disposition)
    assert "no-store" in response.headers["Cache-Control"]
    reader = PdfReader(io.BytesIO(response.data))
    pages = [page.extract_text() for page in reader.pages]
    cover, whole = pages[0], squeeze("\n".join(pages))
    assert "United Smart Cities — city PROFILE" in cover and "Karmøy" in cover
    assert "Norway" in cover and "42,000 inhabitants (2024)" in cover and "UTC" in cover
    for code in CODES:  # every KPI of the city, with or without a value
        assert squeeze(code) in whole
    assert squeeze("97 % (2020)") in whole and squeeze("35.42 % (2020)") in whole  # the latest
    assert squeeze("≤ 20 %") in whole and squeeze("≥ 100 % by 2030") in whole  # targets
    assert squeeze("2 of 4 points") in whole and "notscored" in whole  # U4SSC bands
    for source in (
        "https://www.itu.int/u4ssc/karmoy.pdf",
        "Published loss benchmark",
        "UN Roadmap for Digital Cooperation",
        "https://www.un.org/techenvoy/",
        "https://www.ssb.no/en/statbank/table/07459",
    ):
        assert squeeze(source) in whole
    assert "Summaryscores" in whole and "Economy" in whole and "Gapcharts" in whole
    assert "illustrative" not in whole  # nothing here is illustrative
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in text
    assert all("Karmøy · city PROFILE" in text for text in pages[1:])  # the running header


def test_illustrative_values_are_marked(app, client, login, world):
    with app.app_context():
        db.session.execute(
            update(KpiValue)
            .where(KpiValue.city_id == world["karmoy"], KpiValue.kpi_id == world["internet"])
            .values(illustrative=True, source="illustrative: drawn for the test")
        )
        db.session.commit()
    login("staff@example.org", PASSWORD)
    pages = pdf_pages(client, f"/cities/{world['karmoy']}/profile.pdf")
    whole = squeeze("\n".join(pages))
    assert squeeze("1 KPI value(s) are illustrative") in squeeze(pages[0])
    assert re.search(r"97%\(2020\)\[\d+\]illustrative", whole)
    assert squeeze("illustrative: drawn for the test") in whole


@pytest.fixture
def approved_bundle(app, world):
    """Karmøy's draft project, appraised (accept), in a bundle the city approved."""
    with app.app_context():
        pid = world["karmoy_project"]
        summary = {"verdict": "accept", "enpv": 1_250_000.0, "currency": "EUR",
                   "price_base_year": 2024}  # fmt: skip
        db.session.add(
            AppraisalRun(project_id=pid, parameter_set="EU 2014-2020", engine_version="test",
                         inputs={}, results={"summary": summary}, verdict="accept")
        )  # fmt: skip
        bundle = Bundle(
            city_id=world["karmoy"],
            name="Karmøy water programme",
            status=BundleStatus.APPROVED,
            currency="EUR",
            price_base_year=2024,
            result={"status": "optimal", "selected": [pid], "enpv_total": 1_250_000.0,
                    "rows": {str(pid): {"enpv": 1_250_000.0, "gap": 0.44, "costs": {}}}},
            items=[BundleItem(project_id=pid, selected=True)],
        )  # fmt: skip
        db.session.add(bundle)
        db.session.flush()
        committee = db.session.scalar(select(User).where(User.email == "city@example.org"))
        db.session.add(
            Review(city_id=world["karmoy"], bundle_id=bundle.id, user_id=committee.id,
                   decision=Decision.APPROVED, comment="Go ahead")
        )  # fmt: skip
        db.session.commit()


def test_projects_and_the_approved_bundle_with_verdicts(client, login, world, approved_bundle):
    login("city@example.org", PASSWORD)
    whole = squeeze("\n".join(pdf_pages(client, f"/cities/{world['karmoy']}/profile.pdf")))
    assert "Recommendedprojects" in whole and "Karmøyleakdetectiondraft" in whole
    assert "Latestapprovedbundle" in whole and "Karmøywaterprogramme" in whole
    assert "approvedbythecity" in whole and "Goahead" in whole
    assert "ACCEPT" in whole and squeeze("EUR 1.25 m (2024 prices)") in whole


def test_partners_see_published_projects_only_and_no_bundle(client, login, world, approved_bundle):
    login("partner@example.org", PASSWORD)
    bizerte = squeeze("\n".join(pdf_pages(client, f"/cities/{world['bizerte']}/profile.pdf")))
    assert "Bizertepublishedharbourproject" in bizerte and "Bizertesecretdraft" not in bizerte
    karmoy = squeeze("\n".join(pdf_pages(client, f"/cities/{world['karmoy']}/profile.pdf")))
    assert "Karmøyleakdetectiondraft" not in karmoy and "Karmøywaterprogramme" not in karmoy
    assert squeeze("Bundles are shared with programme staff and the city's committee") in karmoy


def test_another_city_sees_no_drafts_in_the_pdf(client, login, world):
    login("other@example.org", PASSWORD)  # Bizerte's committee looks at Karmøy
    whole = squeeze("\n".join(pdf_pages(client, f"/cities/{world['karmoy']}/profile.pdf")))
    assert "Karmøy" in whole and "Karmøyleakdetectiondraft" not in whole


def test_unknown_city_is_a_404_not_a_500(client, login, world):
    login("staff@example.org", PASSWORD)
    response = client.get("/cities/999999/profile.pdf")
    assert response.status_code == 404 and "There is no city 999999" in response.text
    assert client.get("/cities/99999999999999999999/profile.pdf").status_code == 404


def test_the_profile_page_links_to_the_pdf_of_the_year_shown(client, login, world):
    login("city@example.org", PASSWORD)
    page = client.get(f"/cities/{world['karmoy']}").text
    assert f'href="/cities/{world["karmoy"]}/profile.pdf"' in page
    assert "Download the PROFILE (PDF)" in page and "Dimension scores" in page
    earlier = client.get(f"/cities/{world['karmoy']}?year=2018").text
    assert f'href="/cities/{world["karmoy"]}/profile.pdf?year=2018"' in earlier
    response = client.get(f"/cities/{world['karmoy']}/profile.pdf?year=2018")
    assert "-as-of-2018-" in response.headers["Content-Disposition"]
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages]
    assert "as they stood in 2018" in pages[0]
    assert squeeze("40 % (2018)") in squeeze("\n".join(pages))


def test_the_renderer_serves_static_files_and_refuses_everything_else(tmp_path):
    fetcher = StaticFilesOnly(STATIC)
    sheet = fetcher.fetch(fetcher.base_url + "profile_pdf.css")
    assert b"@page" in sheet.read() and sheet.content_type == "text/css"
    (tmp_path / "secret.txt").write_text("not for PDFs")
    for url in (
        "https://example.org/style.css",
        "http://127.0.0.1:5000/static/style.css",
        "data:text/css,body{}",
        (tmp_path / "secret.txt").as_uri(),
        fetcher.base_url + "../__init__.py",
        fetcher.base_url + "missing.css",
        "file://remote-host" + str(STATIC / "style.css"),
    ):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


def test_a_pdf_opens_no_connection_whatever_its_html_asks_for(monkeypatch):
    opened = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: opened.append(address))
    html = (
        '<link rel="stylesheet" href="https://example.org/x.css">'
        '<link rel="stylesheet" href="profile_pdf.css">'
        '<p>A <img src="http://127.0.0.1:9/x.png"> <img src="file:///etc/hostname"></p>'
    )
    pdf = html_to_pdf(html, STATIC)
    assert opened == [] and len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_pages_link_the_print_stylesheet(client, login, world):
    login("staff@example.org", PASSWORD)
    page = client.get(f"/cities/{world['karmoy']}").text
    assert '<link rel="stylesheet" href="/static/print.css" media="print">' in page
    assert 'class="print-new-page"' in page and '<th scope="col" class="no-print">' in page
    sheet = (STATIC / "print.css").read_text()
    for rule in ("header.top", "form", "button", ".print-new-page { break-before: page; }",
                 "tr, img, svg", 'attr(href)'):  # fmt: skip
        assert rule in sheet
