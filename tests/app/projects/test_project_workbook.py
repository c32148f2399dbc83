"""A project's workbook goes out and comes back: unchanged, changed, or refused by cell."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from app.core.extensions import db
from app.models import CashFlowLine, FlowKind, Project
from tests.app.conftest import PASSWORD


def workbook_of(app, client, login, make_project, make_user):
    project = make_project()
    with app.app_context():
        stored = db.session.get(Project, project.id)
        stored.horizon_years = 5
        stored.cash_flows = [
            CashFlowLine(year=0, kind=FlowKind.CAPEX, amount=Decimal("1000000.00")),
            CashFlowLine(year=1, kind=FlowKind.OPEX_FIXED, amount=Decimal("25000.50")),
        ]
        db.session.commit()
    make_user("staff@example.org", "staff")
    login("staff@example.org", PASSWORD)
    response = client.get(f"/projects/{project.id}.xlsx")
    assert response.status_code == 200
    return project.id, load_workbook(io.BytesIO(response.data))


def save(book, path) -> str:
    book.save(path)
    return str(path)


def test_a_project_survives_the_round_trip_and_changes_come_back(
    app, client, login, runner, make_project, make_user, tmp_path
):
    project_id, book = workbook_of(app, client, login, make_project, make_user)
    same = runner.invoke(args=["import", "projects", save(book, tmp_path / "p.xlsx")])
    assert "0 new, 0 changed, 1 unchanged, 0 refused" in same.output, same.output
    fields = {row[0].value: row[1] for row in book["Project"].iter_rows()}
    fields["title"].value = "Street lighting retrofit, phase 2"
    book["Cash flows"]["B2"] = 1_200_000  # capex of year 0
    changed = runner.invoke(args=["import", "projects", save(book, tmp_path / "p2.xlsx")])
    assert changed.exit_code == 0 and "1 changed" in changed.output, changed.output
    with app.app_context():
        project = db.session.get(Project, project_id)
        assert project.title == "Street lighting retrofit, phase 2"
        assert project.capex_total == Decimal("1200000.00")
        lines = db.session.scalars(
            select(CashFlowLine).where(CashFlowLine.project_id == project_id)
        )
        assert sorted((c.year, c.kind.value, float(c.amount)) for c in lines) == [
            (0, "capex", 1_200_000.0),
            (1, "opex_fixed", 25_000.5),
        ]
    again = runner.invoke(args=["import", "projects", save(book, tmp_path / "p3.xlsx")])
    assert "1 unchanged" in again.output


def test_a_bad_cell_is_refused_with_its_place_and_nothing_is_written(
    app, client, login, runner, make_project, make_user, tmp_path
):
    project_id, book = workbook_of(app, client, login, make_project, make_user)
    book["Cash flows"]["B3"] = "lots"
    bad = runner.invoke(args=["import", "projects", save(book, tmp_path / "bad.xlsx")])
    assert bad.exit_code == 1 and "row 3 (capex): 'lots' is not a number" in bad.output
    fields = {row[0].value: row[1] for row in book["Project"].iter_rows()}
    book["Cash flows"]["B3"] = None
    fields["delivery_model"].value = "barter"
    worse = runner.invoke(args=["import", "projects", save(book, tmp_path / "worse.xlsx")])
    assert "(delivery_model): 'barter' is not public" in worse.output
    with app.app_context():
        assert db.session.get(Project, project_id).capex_total != Decimal("0")


def test_absurd_numbers_in_a_workbook_are_refused_not_crashed_on(
    app, client, login, runner, make_project, make_user, tmp_path
):
    _, book = workbook_of(app, client, login, make_project, make_user)
    fields = {row[0].value: row[1] for row in book["Project"].iter_rows()}
    fields["start_year"].value = "inf"
    bad = runner.invoke(args=["import", "projects", save(book, tmp_path / "inf.xlsx")])
    assert bad.exit_code == 1 and "(start_year)" in bad.output
    fields["start_year"].value = 2027
    fields["id"].value = "99999999999999999999"
    huge = runner.invoke(args=["import", "projects", save(book, tmp_path / "huge.xlsx")])
    assert huge.exit_code == 1 and "no project id" in huge.output
