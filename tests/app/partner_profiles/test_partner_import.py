"""Partners from CSV/XLSX: preview, refusals per row and column, all or nothing, idempotent."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.core.extensions import db
from app.models import Partner, PartnerStatus
from app.seeding.runner import seed_database
from tests.app.conftest import PASSWORD, csrf_token

HEADER = (
    "name,kind,country,countries,sectors,capabilities,instruments,"
    "ticket_min,ticket_max,ticket_currency,capacity\n"
)
GOOD = (
    HEADER
    + "Nordlys Solar AS,technology company,Norway,NO;SE,renewable-energy,"
    + "solar-pv;Battery storage (utility and home),,100 000,5000000,NOK,4\n"
    + "Fjord Infrastructure Fund,investor,NO,NO;DK;FI,Energy;renewable-energy,,"
    + "equity;loan,5000000,80000000,EUR,6\n"
)


@pytest.fixture
def reference(app, make_user):
    with app.app_context():
        seed_database()
    make_user("staff@example.org", "staff")


def partners(app) -> dict[str, Partner]:
    with app.app_context():
        return {p.name: p for p in db.session.scalars(select(Partner))}


def test_cli_imports_partners_and_a_second_run_changes_nothing(app, runner, reference, tmp_path):
    path = tmp_path / "partners.csv"
    path.write_text(GOOD, encoding="utf-8")
    dry = runner.invoke(args=["import", "partners", str(path), "--dry-run"])
    assert dry.exit_code == 0 and "2 new" in dry.output and partners(app) == {}
    done = runner.invoke(args=["import", "partners", str(path)])
    assert done.exit_code == 0 and "written: 2 changes" in done.output, done.output
    found = partners(app)
    solar, fund = found["Nordlys Solar AS"], found["Fjord Infrastructure Fund"]
    assert solar.status is PartnerStatus.APPROVED and solar.capabilities == [
        "battery-storage",
        "solar-pv",
    ]
    assert float(solar.ticket_min) == 100_000 and solar.ticket_currency == "NOK"
    assert fund.instruments == ["equity", "loan"] and fund.kind.value == "international_investor"
    again = runner.invoke(args=["import", "partners", str(path)])
    assert "0 new, 0 changed, 2 unchanged" in again.output
    path.write_text(GOOD.replace("5000000,80000000", "5000000,90000000"), encoding="utf-8")
    changed = runner.invoke(args=["import", "partners", str(path)])
    assert (
        "1 changed" in changed.output
        and "ticket_max: 80000000.0 -> ticket_max: 90000000.0" in changed.output
    )


def test_bad_rows_are_refused_by_row_and_column_and_nothing_is_written(
    app, runner, reference, tmp_path
):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + "Nordlys Solar AS,technology company,Norway,NO,renewable-energy,solar-pv,,,,EUR,4\n"
        + "Bad Kind,wizard,NO,NO,energy,,,,,EUR,1\n"
        + "No Sector,bank,NO,NO,,,,,,EUR,1\n"
        + "Odd Caps,bank,NO,XX,energy,teleportation,,,,EUR,1\n"
        + "Swapped,bank,NO,NO,energy,,loan,9000,10,EUR,1\n"
        + "Nordlys Solar AS,technology company,Norway,NO,renewable-energy,,,,,EUR,4\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["import", "partners", str(path)])
    assert result.exit_code == 1
    out = result.output
    assert "row 3, column kind: 'wizard' is not a kind of partner" in out
    assert "row 4, column sectors: name at least one sector" in out
    assert "row 5, column countries: not country names or ISO codes: XX" in out
    assert "row 6, column ticket_max: smaller than ticket_min" in out
    assert "row 7, column name: a duplicate of row 2" in out
    assert partners(app) == {}


def test_the_staff_page_imports_an_xlsx_of_partners(app, client, login, reference):
    book = Workbook()
    sheet = book.active
    sheet.append(["Organisation", "Type", "Sector", "Capabilities", "Countries"])
    sheet.append(
        ["Bergen Bygg AS", "local company", "infrastructure-construction", "civil-works", "NO"]
    )
    out = io.BytesIO()
    book.save(out)
    login("staff@example.org", PASSWORD)
    page = client.get("/imports")
    assert "Partners (technology firms" in page.text
    uploaded = client.post(
        "/imports",
        data={"csrf_token": csrf_token(page), "kind": "partners",
              "file": (io.BytesIO(out.getvalue()), "partners.xlsx")},
        content_type="multipart/form-data",
    )  # fmt: skip
    preview = client.get(uploaded.headers["Location"])
    assert "1</strong> new" in preview.text and "Bergen Bygg AS" in preview.text
    digest = re.search(r'name="digest" type="hidden" value="([^"]*)"', preview.text).group(1)
    action = re.search(r'action="(/imports/\d+/commit)"', preview.text).group(1)
    done = client.post(action, data={"csrf_token": csrf_token(preview), "digest": digest})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Partner)) == 1
