"""A run as an XLSX workbook: who may download it, what it holds, and that LibreOffice,
recalculating every formula, finds the figures the platform computed.

LibreOffice (Debian's libreoffice-calc-nogui, ``soffice``) converts the workbook to
XLSX again, recalculating on load; its cached values are read with openpyxl. Without
soffice these tests fail in CI (``CI`` set; `.ci/run` installs it) and are skipped,
with the reason, elsewhere.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.core.extensions import db
from app.models import (
    AppraisalRun,
    CashFlowLine,
    DeliveryModel,
    FlowKind,
    Partner,
    PartnerKind,
    Project,
)
from tests.app.appraisals.test_appraisals import add_flows
from tests.app.conftest import PASSWORD, csrf_token

SOFFICE = os.environ.get("USC_SOFFICE") or shutil.which("soffice") or "/usr/bin/soffice"
SHEETS = ["Read me", "Inputs", "Cash flows", "Results", "IRR start"]
RELATIVE = 1e-9  # every figure, IRRs included, after LibreOffice's recalculation
SOFFICE_TIMEOUT = 180
CELL_REFERENCE = re.compile(r"(?:'[^']+'!)?\$?[A-Z]{1,3}\$?\d+")
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:E-?\d+)?")

# LibreOffice's setting "recalculation on file load" for OOXML: 0 = always. Without it
# a file that carries cached values would keep them (openpyxl writes none, and the
# workbook also asks for fullCalcOnLoad, but the test must not depend on either).
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def _extra_lines(app, project_id: int, horizon: int, replacement: str) -> None:
    """A replacement, variable opex, an external cost and a residual value."""
    rows = [
        (8, FlowKind.REPLACEMENT, replacement),
        (horizon - 1, FlowKind.RESIDUAL_VALUE, "250000"),
    ]
    rows += [(year, FlowKind.OPEX_VARIABLE, "4500.5") for year in range(1, horizon)]
    rows += [(year, FlowKind.EXTERNALITY, "-7000") for year in range(1, horizon, 2)]
    with app.app_context():
        for year, kind, amount in rows:
            db.session.add(
                CashFlowLine(project_id=project_id, year=year, kind=kind, amount=Decimal(amount))
            )
        db.session.commit()


def _appraised(app, make_user, make_project, *, ppp=False, published=False, illustrative=False):
    from app.appraisals.service import appraise_project

    made = make_project(published=published)
    model = {"delivery_model": DeliveryModel.PPP_AVAILABILITY} if ppp else {}
    assumptions = {"economic": {"labour_share_of_opex": 0.4}}
    if not ppp:
        assumptions["financing"] = {"loan_share": 0.5, "loan_rate": 0.035, "loan_tenor": 10}
    add_flows(app, made.id, horizon=20, assumptions=assumptions, illustrative=illustrative, **model)
    # A PPP's availability payment is flat: a large replacement would turn CFADS negative.
    _extra_lines(app, made.id, 20, "15000" if ppp else "120000")
    staff = make_user()
    with app.app_context():
        run = appraise_project(staff, made.id, "EU 2014-2020", seed=1)
        return made.id, run.id


def _results(app, run_id: int) -> dict:
    with app.app_context():
        return db.session.get(AppraisalRun, run_id).results


def _book(content: bytes, **options):
    return load_workbook(io.BytesIO(content), **options)


def _results_rows(sheet):
    """(figure, workbook value, platform field) of every computed row of "Results"."""
    for row in sheet.iter_rows(min_row=6, max_col=7, values_only=True):
        figure, computed, _, _, _, _, field = row
        if figure and field and computed != "n/a":
            yield figure, computed, field


def _platform(results: dict, field: str):
    value = results
    for key in field.split("."):
        value = value[int(key)] if isinstance(value, list) else value[key]
    return value


@pytest.fixture
def staff(make_user, login):
    def sign_in():
        login("staff@example.org")

    return sign_in


# --- who may download it ---------------------------------------------------------------


def test_staff_download_the_workbook_of_a_run(app, client, make_user, make_project, staff):
    project_id, run_id = _appraised(app, make_user, make_project)
    staff()
    answer = client.get(f"/projects/{project_id}/runs/{run_id}.xlsx")
    assert answer.status_code == 200
    assert answer.mimetype.endswith("spreadsheetml.sheet")
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and f"appraisal-run-{run_id}-" in disposition
    assert _book(answer.data).sheetnames == SHEETS
    page = client.get(f"/projects/{project_id}/runs/{run_id}")
    assert f'href="/projects/{project_id}/runs/{run_id}.xlsx"' in page.text


def test_the_city_downloads_its_own_runs_and_no_other_citys(
    app, client, login, make_user, make_project, make_city, make_country
):
    project_id, run_id = _appraised(app, make_user, make_project)
    url = f"/projects/{project_id}/runs/{run_id}.xlsx"
    make_user("city@example.org", "city", city_slug="karmoy-no")
    make_city("bergen-no", "Bergen", country=make_country("SE", "SWE", "Sweden"))
    make_user("bergen@example.org", "city", city_slug="bergen-no")
    login("city@example.org")
    assert client.get(url).status_code == 200
    bergen = app.test_client()
    token = csrf_token(bergen.get("/login"))
    data = {"email": "bergen@example.org", "password": PASSWORD, "csrf_token": token}
    assert bergen.post("/login", data=data).status_code == 302
    assert bergen.get(url).status_code == 403


def test_partners_get_no_workbook_even_of_a_published_project(
    app, client, login, make_user, make_project
):
    """As the run page: partners see a published project's summary, never the working."""
    project_id, run_id = _appraised(app, make_user, make_project, published=True)
    with app.app_context():
        db.session.add(Partner(slug="acme", name="Acme", kind=PartnerKind.LOCAL_COMPANY))
        db.session.commit()
    make_user("partner@example.org", "partner", partner_slug="acme")
    login("partner@example.org")
    assert client.get(f"/projects/{project_id}/runs/{run_id}").status_code == 403
    assert client.get(f"/projects/{project_id}/runs/{run_id}.xlsx").status_code == 403


def test_a_partner_gets_nothing_of_an_unpublished_project(
    app, client, login, make_user, make_project
):
    project_id, run_id = _appraised(app, make_user, make_project)
    with app.app_context():
        db.session.add(Partner(slug="acme", name="Acme", kind=PartnerKind.LOCAL_COMPANY))
        db.session.commit()
    make_user("partner@example.org", "partner", partner_slug="acme")
    login("partner@example.org")
    assert client.get(f"/projects/{project_id}/runs/{run_id}.xlsx").status_code == 403


def test_anonymous_visitors_are_sent_to_login(app, client, make_user, make_project):
    project_id, run_id = _appraised(app, make_user, make_project)
    answer = client.get(f"/projects/{project_id}/runs/{run_id}.xlsx")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_an_unknown_run_or_another_projects_run_is_not_found(
    app, client, make_user, make_project, staff
):
    project_id, run_id = _appraised(app, make_user, make_project)
    with app.app_context():
        mine = db.session.get(Project, project_id)
        other = Project(
            title="Another project",
            city_id=mine.city_id,
            sector_id=mine.sector_id,
            price_base_year=2024,
            start_year=2027,
        )
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    staff()
    assert client.get(f"/projects/{project_id}/runs/{run_id + 1}.xlsx").status_code == 404
    assert client.get(f"/projects/{other_id}/runs/{run_id}.xlsx").status_code == 404
    assert client.get(f"/projects/{project_id}/runs/99999999999999.xlsx").status_code == 404


# --- what it holds -----------------------------------------------------------------------


def test_the_sheets_hold_named_inputs_yearly_formulas_and_no_hard_coded_result(
    app, client, make_user, make_project, staff
):
    project_id, run_id = _appraised(app, make_user, make_project, illustrative=True)
    staff()
    book = _book(client.get(f"/projects/{project_id}/runs/{run_id}.xlsx").data)
    assert book.calculation.fullCalcOnLoad
    names = set(book.defined_names)
    assert {"FDR", "SDR", "SCF", "SWF", "CofinRate", "OpexCF", "EUGrant"} <= names
    fdr = book.defined_names["FDR"].attr_text
    assert book["Inputs"][fdr.split("!")[1].replace("$", "")].value == pytest.approx(0.04)

    flows = book["Cash flows"]
    headers = [cell.value for cell in flows[5]]
    assert "Capex (EUR, constant 2024 prices)" in headers
    assert "Net financial flow (FNPV/C) (EUR, constant 2024 prices)" in headers
    assert len([row for row in flows.iter_rows(min_row=6) if row[0].value]) == 20
    net = flows.cell(
        6, headers.index("Net financial flow (FNPV/C) (EUR, constant 2024 prices)") + 1
    )
    assert net.value.startswith("=-C6-D6") and '"EUR"' in net.number_format

    results = _results(app, run_id)
    rows = list(_results_rows(book["Results"]))
    figures = {figure for figure, _, _ in rows}
    page = ("FNPV/C, return on investment", "FRR/C", "FNPV/K, return on national capital",
            "FRR/K", "ENPV", "ERR", "B/C ratio", "Funding-gap rate", "EU grant")  # fmt: skip
    assert set(page) <= figures
    for figure, formula, field in rows:
        assert isinstance(formula, str) and formula.startswith("="), figure
        assert repr(_platform(results, field)) not in formula, figure
    # No number in any formula but 0, 1, 1E-9 and 0.1 (the spreadsheets' default IRR guess).
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    bare = CELL_REFERENCE.sub("", cell.value)
                    assert set(NUMBER.findall(bare)) <= {"0", "1", "1E-9", "0.1"}, cell.value
    fnpv = next(formula for figure, formula, _ in rows if figure.startswith("FNPV/C"))
    assert fnpv == "='Cash flows'!$M$6+NPV(FDR,'Cash flows'!$M$7:$M$25)"

    readme = "\n".join(str(c.value) for row in book["Read me"].iter_rows() for c in row if c.value)
    assert "ILLUSTRATIVE" in readme and "EUR, constant 2024 prices" in readme
    assert "Period 0" in readme and "decimals" in readme


def test_an_undefined_irr_shows_its_reason_not_a_formula(
    app, client, make_user, make_project, staff
):
    from app.appraisals.service import appraise_project

    made = make_project()
    add_flows(app, made.id, revenue=0.0)  # opex and capex, no revenue: no FRR/C
    with app.app_context():
        run = appraise_project(make_user(), made.id, "EU 2014-2020")
        run_id, note = run.id, run.results["financial"]["frr_c_note"]
    staff()
    book = _book(client.get(f"/projects/{made.id}/runs/{run_id}.xlsx").data)
    row = next(r for r in book["Results"].iter_rows(values_only=True) if r[0] == "FRR/C")
    assert row[1] == "n/a" and row[2] == f"n/a: {note}" and "no IRR" in note


def test_a_ppp_workbook_holds_dscr_per_year(app, client, make_user, make_project, staff):
    project_id, run_id = _appraised(app, make_user, make_project, ppp=True)
    staff()
    book = _book(client.get(f"/projects/{project_id}/runs/{run_id}.xlsx").data)
    dscr = _results(app, run_id)["ppp"]["debt"]["dscr"]
    rows = [r for r in _results_rows(book["Results"]) if r[0].startswith("DSCR 2")]
    assert len(rows) == len([v for v in dscr if v is not None]) == 19
    assert rows[0][1].startswith("='Cash flows'!") and "/'Cash flows'!" in rows[0][1]
    assert {"DebtAmount", "DebtRate", "TargetDSCR", "Concession"} <= set(book.defined_names)


# --- LibreOffice recalculates what the platform computed ---------------------------------


@pytest.fixture(scope="session")
def soffice() -> str:
    if not Path(SOFFICE).exists():
        reason = f"no LibreOffice at {SOFFICE}: apt-get install libreoffice-calc-nogui"
        if os.environ.get("CI"):
            pytest.fail(reason + " (.ci/run installs it)")
        pytest.skip(reason)
    return SOFFICE


def recalculated(soffice: str, content: bytes, work: Path):
    """The workbook as LibreOffice saves it after recalculating, read for its values."""
    profile = work / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS)
    source, out = work / "run.xlsx", work / "out"
    source.write_bytes(content)
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        str(source),
    ]
    env = os.environ | {"HOME": str(work)}
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT, env=env, check=False
    )
    converted = out / "run.xlsx"
    assert converted.exists(), f"soffice failed ({done.returncode}): {done.stdout}{done.stderr}"
    return load_workbook(converted, data_only=True)


def _assert_recalculated_like_the_platform(book, formulas, results: dict) -> int:
    """Every formula of every sheet has a value; every figure is the platform's. The count."""
    wrong = []
    for name in SHEETS:
        for row in formulas[name].iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    value = book[name][cell.coordinate].value
                    blank = value is None and '""' not in cell.value  # "" reads back as None
                    if blank or (isinstance(value, str) and value.startswith(("#", "Err"))):
                        wrong.append(f"{name}!{cell.coordinate} {cell.value} -> {value!r}")
    assert not wrong, "\n".join(wrong[:30])
    checked = 0
    for figure, value, field in _results_rows(book["Results"]):
        expected = _platform(results, field)
        assert isinstance(value, float | int), f"{figure}: {value!r}"
        assert value == pytest.approx(expected, rel=RELATIVE, abs=1e-9), (figure, value, expected)
        checked += 1
    largest = book["Results"]["B3"].value
    assert largest < RELATIVE, largest
    return checked


def test_libreoffice_recalculates_a_public_projects_figures(
    app, client, make_user, make_project, staff, soffice, tmp_path
):
    project_id, run_id = _appraised(app, make_user, make_project)
    staff()
    answer = client.get(f"/projects/{project_id}/runs/{run_id}.xlsx")
    assert answer.status_code == 200
    content, results = answer.data, _results(app, run_id)
    assert results["financial"]["financing"]["loan_service"][2] > 0  # the loan is in FNPV/K
    book = recalculated(soffice, content, tmp_path)
    checked = _assert_recalculated_like_the_platform(book, _book(content), results)
    assert checked >= 20


def test_libreoffice_recalculates_a_ppps_figures_and_dscr(
    app, client, make_user, make_project, staff, soffice, tmp_path
):
    project_id, run_id = _appraised(app, make_user, make_project, ppp=True)
    staff()
    answer = client.get(f"/projects/{project_id}/runs/{run_id}.xlsx")
    assert answer.status_code == 200
    content, results = answer.data, _results(app, run_id)
    book = recalculated(soffice, content, tmp_path)
    checked = _assert_recalculated_like_the_platform(book, _book(content), results)
    figures = [figure for figure, _, _ in _results_rows(book["Results"])]
    assert (
        "Equity IRR" in figures
        and "DSCR, minimum" in figures
        and "Value for money (PSC - PPP)" in figures
    )
    assert sum(figure.startswith("DSCR 2") for figure in figures) == 19
    assert checked >= 50
