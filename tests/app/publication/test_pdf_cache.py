"""Made PROFILE PDFs kept for unchanged profiles, and the per-user limit on making them."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from app.core.extensions import db
from app.models import KpiValue, User
from app.publication.pdf_cache import PdfCache
from app.publication.profile_pdf import profile_pdf, profile_pdf_cache
from tests.app.cities import test_profiles
from tests.app.conftest import PASSWORD, csrf_token
from tests.app.publication.test_profile_pdf import squeeze

world = test_profiles.world  # the shared fixture

MORNING = datetime(2026, 12, 7, 5, 30, tzinfo=UTC)
LATER = datetime(2026, 12, 7, 6, 45, tzinfo=UTC)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def cached(app, tmp_path):
    app.config.update(PDF_CACHE_DIR=str(tmp_path / "pdf-cache"), PDF_CACHE_FILES=10)
    return tmp_path / "pdf-cache"


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def test_an_unchanged_profile_comes_from_the_cache_as_it_was_made(app, world, cached):
    with app.app_context():
        staff = user("staff@example.org")
        first, _ = profile_pdf(staff, world["karmoy"], now=MORNING)
        again, filename = profile_pdf(staff, world["karmoy"], now=LATER)
        assert again == first  # not made again: it still says when it was made
        assert "7 December 2026, 05:30 UTC" in text_of(again)
        assert filename.endswith("-2026-12-07.pdf")
        assert len(profile_pdf_cache().keys()) == 1 and len(list(cached.iterdir())) == 1


def test_a_changed_kpi_value_makes_the_pdf_again(app, world, cached):
    with app.app_context():
        staff = user("staff@example.org")
        first, _ = profile_pdf(staff, world["karmoy"], now=MORNING)
        assert squeeze("97 % (2020)") in squeeze(text_of(first))
        db.session.execute(
            update(KpiValue)
            .where(KpiValue.city_id == world["karmoy"], KpiValue.kpi_id == world["internet"])
            .values(value=55.0)
        )
        db.session.commit()
        changed, _ = profile_pdf(staff, world["karmoy"], now=LATER)
        whole = squeeze(text_of(changed))
        assert changed != first
        assert squeeze("55 % (2020)") in whole and squeeze("97 % (2020)") not in whole
        assert "7 December 2026, 06:45 UTC" in text_of(changed)  # made now
        assert len(profile_pdf_cache().keys()) == 2


def test_viewers_who_see_different_things_never_share_a_pdf(app, world, cached):
    with app.app_context():
        staff_pdf, _ = profile_pdf(user("staff@example.org"), world["karmoy"], now=MORNING)
        partner_pdf, _ = profile_pdf(user("partner@example.org"), world["karmoy"], now=MORNING)
        assert "Karmøy leak detection draft" in text_of(staff_pdf)
        assert "Karmøy leak detection draft" not in text_of(partner_pdf)
        assert len(profile_pdf_cache().keys()) == 2


def test_the_download_is_the_cached_pdf(client, login, world, cached):
    login("staff@example.org", PASSWORD)
    first = client.get(f"/cities/{world['karmoy']}/profile.pdf")
    second = client.get(f"/cities/{world['karmoy']}/profile.pdf")
    assert first.status_code == second.status_code == 200
    assert second.data == first.data and len(list(cached.iterdir())) == 1


def test_the_cache_keeps_the_most_recently_used_files_only(tmp_path):
    cache = PdfCache(tmp_path, max_files=2)
    for key in ("aa", "bb", "cc"):
        cache.put(key, f"%PDF {key}".encode())
    assert cache.keys() == ["bb", "cc"] and cache.get("aa") is None
    assert cache.get("bb") == b"%PDF bb"  # used: now the most recent
    cache.put("dd", b"%PDF dd")
    assert cache.keys() == ["bb", "dd"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bb.pdf", "dd.pdf"]


def test_a_cache_of_no_files_keeps_nothing_and_keys_are_never_paths(tmp_path):
    off = PdfCache(tmp_path / "off", max_files=0)
    off.put("aa", b"%PDF")
    assert off.get("aa") is None and not (tmp_path / "off").exists()
    with pytest.raises(ValueError, match="hex digest"):
        PdfCache(tmp_path, max_files=2).get("../secret")


def test_each_user_may_make_a_few_pdfs_a_minute(app, client, login, world):
    app.config["PDF_RATE_LIMIT"] = "2 per minute"
    login("staff@example.org", PASSWORD)
    path = f"/cities/{world['karmoy']}/profile.pdf"
    assert [client.get(path).status_code for _ in range(2)] == [200, 200]
    refused = client.get(path)
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "Too many requests" in refused.text
    assert "more PROFILE PDFs than the 2 per minute each user may have" in refused.text
    assert "Wait a minute" in refused.text
    other = app.test_client()  # the same address, another user: their own allowance
    token = csrf_token(other.get("/login"))
    other.post("/login", data={"email": "city@example.org", "password": PASSWORD,
                               "csrf_token": token})  # fmt: skip
    assert other.get(path).status_code == 200
