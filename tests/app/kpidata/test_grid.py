"""The KPI grid of a city: who may enter values, history, refusals kept in place, stale saves."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.core.extensions import db
from app.models import KpiValue, KpiValueChange
from tests.app.conftest import PASSWORD, csrf_token


def row_of(page, code: str, data_point: str = "") -> str:
    """The row prefix (r12) of a KPI's row in the grid."""
    label = f"{code} {data_point}".strip()
    match = re.search(
        rf'name="(r\d+)-value"[^>]*aria-label="Value of {re.escape(label)}"', page.text
    )
    assert match, f"no grid row for {label}"
    return match.group(1)


def grid_form(page) -> dict:
    data = dict(
        re.findall(r'<input name="(r\d+-\w+)" id="[^"]+" size="\d+" value="([^"]*)"', page.text)
    )
    stamp = re.search(r'name="stamp" type="hidden" value="([^"]*)"', page.text).group(1)
    return {**data, "csrf_token": csrf_token(page), "stamp": stamp}


def unescape(text: str) -> str:
    return (
        text.replace("&#39;", "'").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    )


def test_the_committee_enters_a_value_and_the_history_keeps_the_one_before(
    app, client, login, seeded
):
    karmoy = seeded["karmoy-no"]
    login("city@example.org", PASSWORD)
    page = client.get(f"/cities/{karmoy}/kpis/edit?year=2020")
    assert page.status_code == 200 and page.text.count("<h2>") == 3  # three dimensions
    row = row_of(page, "EC: ICT: ICT: 1C")
    data = grid_form(page)
    assert data[f"{row}-value"] == "97"
    data.update({f"{row}-value": "98,5", f"{row}-source": "SSB table 11000 (2020)"})
    saved = client.post(f"/cities/{karmoy}/kpis/edit?year=2020", data=data)
    assert saved.status_code == 302
    assert "1 values of Karmøy for 2020 were saved" in client.get(saved.headers["Location"]).text
    with app.app_context():
        change = db.session.scalar(select(KpiValueChange).where(KpiValueChange.via == "grid"))
        assert (change.old_value, change.new_value, change.action) == (97.0, 98.5, "update")
    history = client.get(f"/cities/{karmoy}/kpis/{change.kpi_id}/history")
    assert (
        "city@example.org" in history.text and "97 %" in history.text and "98.50 %" in history.text
    )
    profile = client.get(f"/cities/{karmoy}")
    assert "98.50 %" in profile.text and "SSB table 11000" in profile.text


def test_a_refused_cell_keeps_every_typed_value_and_writes_nothing(app, client, login, seeded):
    karmoy = seeded["karmoy-no"]
    login("staff@example.org", PASSWORD)
    page = client.get(f"/cities/{karmoy}/kpis/edit?year=2024")
    data = grid_form(page)
    good, bad = row_of(page, "EC: ICT: ICT: 1C"), row_of(page, "EC: ICT: ICT: 2C")
    data.update({f"{good}-value": "99", f"{bad}-value": "84", f"{bad}-unit": "km"})
    refused = client.post(f"/cities/{karmoy}/kpis/edit?year=2024", data=data)
    assert refused.status_code == 400
    text = unescape(refused.text)
    assert "'km' measures a length" in text and "Nothing was saved" in text
    assert f'name="{good}-value" id="{good}-value" size="10" value="99"' in refused.text
    assert 'value="km"' in refused.text
    with app.app_context():
        assert db.session.scalar(select(KpiValue).where(KpiValue.year == 2024)) is None


def test_a_stale_grid_is_refused_with_the_typed_values_kept(
    app, client, login, seeded, runner, tmp_path
):
    karmoy = seeded["karmoy-no"]
    login("staff@example.org", PASSWORD)
    page = client.get(f"/cities/{karmoy}/kpis/edit?year=2024")
    data = grid_form(page)
    row = row_of(page, "EC: ICT: ICT: 1C")
    data[f"{row}-value"] = "99"
    path = tmp_path / "v.csv"
    path.write_text(
        "city,country,year,kpi_code,value\nKarmøy,NO,2023,EC: ICT: ICT: 1C,98\n", encoding="utf-8"
    )
    assert runner.invoke(args=["import", "kpis", str(path)]).exit_code == 0
    stale = client.post(f"/cities/{karmoy}/kpis/edit?year=2024", data=data)
    assert stale.status_code == 409 and "Someone else changed" in stale.text
    assert f'id="{row}-value" size="10" value="99"' in stale.text


def test_an_emptied_value_is_removed_and_its_history_keeps_it(app, client, login, seeded):
    karmoy = seeded["karmoy-no"]
    login("staff@example.org", PASSWORD)
    page = client.get(f"/cities/{karmoy}/kpis/edit?year=2020")
    data = grid_form(page)
    data[f"{row_of(page, 'EC: ICT: ICT: 1C')}-value"] = ""
    assert client.post(f"/cities/{karmoy}/kpis/edit?year=2020", data=data).status_code == 302
    with app.app_context():
        removed = db.session.scalar(select(KpiValueChange).where(KpiValueChange.action == "delete"))
        assert removed.old_value == 97.0 and removed.new_value is None


def test_only_staff_and_the_citys_own_committee_enter_values(client, login, seeded):
    login("bizerte@example.org", PASSWORD)
    assert client.get(f"/cities/{seeded['karmoy-no']}/kpis/edit").status_code == 403
    assert client.get(f"/cities/{seeded['karmoy-no']}/kpis/template.xlsx").status_code == 403
    assert client.get(f"/cities/{seeded['bizerte-tn']}/kpis/edit").status_code == 200
    assert client.get(f"/cities/{seeded['karmoy-no']}/kpis/edit?year=2999").status_code == 404


def test_the_profile_shows_an_earlier_year_and_each_data_point(
    app, client, login, seeded, runner, tmp_path
):
    karmoy = seeded["karmoy-no"]
    path = tmp_path / "v.csv"
    path.write_text(
        "city,country,year,kpi_code,value,source\nKarmøy,NO,2024,EC: ICT: ICT: 1C,99.5,SSB 2024\n",
        encoding="utf-8",
    )
    assert runner.invoke(args=["import", "kpis", str(path)]).exit_code == 0
    login("staff@example.org", PASSWORD)
    latest = client.get(f"/cities/{karmoy}")
    assert "99.50 %" in latest.text and "3G: 96.67 %" in latest.text
    earlier = client.get(f"/cities/{karmoy}?year=2020")
    assert "as it stood in 2020" in earlier.text and "99.50 %" not in earlier.text
    assert "97 %" in earlier.text
    bizerte = client.get(f"/cities/{seeded['bizerte-tn']}")
    assert "primary: 100 %" in bizerte.text and "tertiary:" in bizerte.text
