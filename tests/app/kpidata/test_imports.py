"""Importing files of KPI values: preview, all-or-nothing commit, re-import changes nothing."""

from __future__ import annotations

import gc
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.core.extensions import db
from app.models import DataImport, KpiValue, KpiValueChange
from tests.app.conftest import PASSWORD, csrf_token

SHARED = Path(__file__).resolve().parents[3] / "seeds" / "city_kpi_values.csv"
HEADER = "city,country,year,kpi_code,data_point,value,unit,source,note\n"


def counts(app) -> tuple[int, int]:
    with app.app_context():
        values = db.session.scalar(select(func.count()).select_from(KpiValue))
        changes = db.session.scalar(select(func.count()).select_from(KpiValueChange))
        return values, changes


def upload(client, name: str, content: bytes):
    page = client.get("/imports")
    return client.post(
        "/imports",
        data={"csrf_token": csrf_token(page), "kind": "kpis", "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def commit(client, response):
    page = client.get(response.headers["Location"]) if response.status_code == 302 else response
    action = re.search(r'action="(/imports/\d+/commit)"', page.text).group(1)
    digest = re.search(r'name="digest" type="hidden" value="([^"]*)"', page.text).group(1)
    return client.post(action, data={"csrf_token": csrf_token(page), "digest": digest})


def test_the_real_values_come_in_through_the_importer_with_their_history(app, seeded):
    values, changes = counts(app)
    assert values == 74 and changes == 74
    with app.app_context():
        vias = set(db.session.scalars(select(KpiValueChange.via)))
        bizerte = db.session.scalars(
            select(KpiValue.data_point).where(KpiValue.city_id == seeded["bizerte-tn"])
        ).all()
    assert vias == {"usc seed (seeds/city_kpi_values.csv)"}
    assert {"primary", "secondary", "tertiary"} <= set(bizerte)


def test_cli_dry_run_writes_nothing_and_reimport_changes_nothing(app, runner, seeded, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(
        HEADER + "Karmøy,NO,2024,EC: ICT: ICT: 1C,,98.5,%,SSB 2024,\n"
        "Asker,Norway,2024,SC:EH:ED:3C,,12 000,per 100 000 inh.,SSB,\n",
        encoding="utf-8",
    )
    before = counts(app)
    dry = runner.invoke(args=["import", "kpis", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "2 new, 0 changed" in dry.output and "nothing was written" in dry.output
    assert counts(app) == before
    real = runner.invoke(args=["import", "kpis", str(path)])
    assert real.exit_code == 0 and "written: 2 changes" in real.output
    assert counts(app) == (before[0] + 2, before[1] + 2)
    again = runner.invoke(args=["import", "kpis", str(path)])
    assert "0 new, 0 changed, 2 unchanged" in again.output and "nothing to write" in again.output
    assert counts(app) == (before[0] + 2, before[1] + 2)


def test_cli_refuses_a_bad_file_row_by_row_and_writes_nothing(app, runner, seeded, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + "Karmøy,NO,2024,EC: ICT: ICT: 1C,,98.5,%,SSB,\n"
        "Pully,CH,2024,EC: ICT: ICT: 1C,,90,%,,\n"
        "Karmøy,NO,2024,EC: ICT: ICT: 2C,,84,km,,\n",
        encoding="utf-8",
    )
    before = counts(app)
    result = runner.invoke(args=["import", "kpis", str(path)])
    assert result.exit_code == 1
    assert "row 3, column city: 'Pully' (CH) is not a city" in result.output
    assert 'usc city add --name "Pully" --country CH' in result.output
    assert "row 4, column unit: 'km' measures a length" in result.output
    assert "nothing was written" in result.output and counts(app) == before


def test_web_preview_then_commit_then_reimport(app, client, login, seeded):
    login("staff@example.org", PASSWORD)
    content = (
        HEADER + "Karmøy,Norway,2024,EC: ICT: ICT: 1C,,98.5,%,SSB 2024,\n"
        "Karmøy,Norway,2020-09,EC: ICT: ICT: 1C,,97.5,%,corrected,\n"
    ).encode()
    response = upload(client, "karmoy.csv", content)
    assert response.status_code == 302
    preview = client.get(response.headers["Location"])
    assert "1</strong> new" in preview.text and "1</strong> changed" in preview.text
    assert "97 %" in preview.text and "97.50 %" in preview.text  # old -> new
    assert counts(app)[0] == 74  # nothing written by a preview
    done = commit(client, response)
    assert done.status_code == 302
    assert "committed" in client.get(done.headers["Location"]).text
    assert counts(app) == (75, 76)
    with app.app_context():
        change = db.session.scalar(select(KpiValueChange).where(KpiValueChange.action == "update"))
        assert (change.old_value, change.new_value, change.via) == (
            97.0,
            97.5,
            "import 1 (karmoy.csv)",
        )
        assert change.user_id is not None
        assert db.session.get(DataImport, 1).content is None  # kept no longer than needed
    again = client.get(upload(client, "karmoy.csv", content).headers["Location"])
    assert "2</strong> unchanged" in again.text and "Nothing to write" in again.text


def test_web_refuses_rows_and_offers_no_commit(app, client, login, seeded):
    login("staff@example.org", PASSWORD)
    content = (
        HEADER + "Karmøy,Norway,2024,EC: ICT: ICT: 1C,,98.5,%,,\n"
        "Karmøy,Norway,2024,EC: ICT: ICT: 1C,,98.6,%,,\n"
        "Karmøy,Norway,2030,EC: ICT: ICT: 2C,,84,%,,\n"
    ).encode()
    page = client.get(upload(client, "bad.csv", content).headers["Location"])
    assert "cannot be committed" in page.text and "/commit" not in page.text
    assert "duplicate of row 2" in page.text and "in the future" in page.text
    record_id = int(re.search(r"Import (\d+)", page.text).group(1))
    forced = client.post(
        f"/imports/{record_id}/commit", data={"csrf_token": csrf_token(page), "digest": "x"}
    )
    assert forced.status_code == 400 and "Nothing was written" in forced.text
    assert counts(app)[0] == 74


def test_a_commit_after_someone_else_changed_the_values_writes_nothing(
    app, client, login, seeded, runner, tmp_path
):
    login("staff@example.org", PASSWORD)
    content = (HEADER + "Karmøy,Norway,2024,EC: ICT: ICT: 1C,,98.5,%,,\n").encode()
    response = upload(client, "one.csv", content)
    page = client.get(response.headers["Location"])
    path = tmp_path / "other.csv"
    path.write_text(HEADER + "Karmøy,Norway,2024,EC: ICT: ICT: 1C,,99,%,,\n", encoding="utf-8")
    assert runner.invoke(args=["import", "kpis", str(path)]).exit_code == 0
    stale = commit(client, page)
    assert stale.status_code == 409 and "changed since this preview" in stale.text
    assert "1</strong> changed" in stale.text  # the new preview: 99 -> 98.5
    assert commit(client, stale).status_code == 302


def test_unreadable_and_oversized_files_get_a_message_where_they_came_in(
    app, client, login, seeded
):
    login("staff@example.org", PASSWORD)
    missing = upload(client, "x.csv", b"town,value\nKarmoy,3\n")
    assert (
        missing.status_code == 400
        and "has no column &#39;city&#39;, &#39;country&#39;" in missing.text
    )
    legacy = upload(client, "x.xls", b"\xd0\xcf\x11\xe0rest")
    assert legacy.status_code == 400 and "Save it as .xlsx" in legacy.text
    broken = upload(client, "x.xlsx", b"PK\x03\x04 not a zip")
    assert broken.status_code == 400 and "cannot be opened" in broken.text
    assert counts(app)[0] == 74


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_file_over_20_mb_is_refused_with_the_limit(app, client, login, seeded):
    login("staff@example.org", PASSWORD)
    huge = upload(client, "big.csv", HEADER.encode() + b"x" * (21 * 1024 * 1024))
    assert huge.status_code == 413 and "20 MB" in huge.text and "Split the file" in huge.text
    assert counts(app)[0] == 74
    del huge
    gc.collect()  # Werkzeug leaves the spooled part of a refused upload to the collector


def test_imports_are_for_staff_only(client, login, seeded):
    login("city@example.org", PASSWORD)
    assert client.get("/imports").status_code == 403


def test_a_long_xlsx_file_imports_like_its_csv(app, client, login, seeded):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["City", "Country", "Year", "KPI code", "Data point", "Value", "Unit", "Source"])
    sheet.append(["Asker", "NO", 2023, "EC: ICT: ICT: 1C", None, 0.991, "fraction", "SSB"])
    out = io.BytesIO()
    book.save(out)
    login("staff@example.org", PASSWORD)
    page = client.get(upload(client, "asker.xlsx", out.getvalue()).headers["Location"])
    assert "1</strong> new" in page.text and "fraction -&gt; % (x 100)" in page.text
    assert commit(client, page).status_code == 302
    with app.app_context():
        value = db.session.scalar(select(KpiValue).where(KpiValue.year == 2023))
        assert round(value.value, 6) == 99.1 and value.unit == "%"


def test_the_per_city_template_goes_out_and_comes_back(app, client, login, seeded):
    login("city@example.org", PASSWORD)  # the committee may download its city's template
    karmoy = seeded["karmoy-no"]
    response = client.get(f"/cities/{karmoy}/kpis/template.xlsx?year=2020")
    assert (
        response.status_code == 200
        and "kpi-template-karmoy-no-2020.xlsx" in response.headers["Content-Disposition"]
    )
    book = load_workbook(io.BytesIO(response.data))
    sheet = book["KPI values"]
    rows = {
        (sheet.cell(r, 1).value, sheet.cell(r, 4).value or ""): r
        for r in range(9, sheet.max_row + 1)
    }
    assert len({code for code, _ in rows}) == 91
    assert sheet.cell(rows[("EC: ICT: ICT: 1C", "")], 6).value == 97.0  # prefilled
    sheet.cell(rows[("EC: ICT: ICT: 1C", "")], 6).value = 98
    sheet.cell(rows[("EN: EN: WS: 4C", "primary")], 6).value = 100
    sheet.cell(rows[("EC: ICT: ICT: 3C", "")], 6).value = 1005
    sheet.cell(rows[("EC: ICT: ICT: 3C", "")], 5).value = "per 100 inhabitants"
    out = io.BytesIO()
    book.save(out)
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/"))})
    login("staff@example.org", PASSWORD)
    page = client.get(upload(client, "filled.xlsx", out.getvalue()).headers["Location"])
    assert "template format" in page.text
    assert "2</strong> changed" in page.text and "1</strong> new" in page.text
    assert "12</strong> unchanged" in page.text  # the prefilled values come back as they went
    assert commit(client, page).status_code == 302
    with app.app_context():
        rate = db.session.scalar(
            select(KpiValue).where(
                KpiValue.city_id == karmoy, KpiValue.year == 2020, KpiValue.value > 1000
            )
        )
        assert rate.value == 1_005_000
