"""The pipeline board: counts and capex totals by stage in SQL, filters, moves, drops."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from app.core.extensions import db
from app.models import AuditLog, Project, Stage
from app.projects.pipeline import ORDER
from tests.app.conftest import csrf_token
from tests.app.projects import test_projects_data as shared

world, as_role = shared.world, shared.as_role  # fixtures shared by the project tests

# (stage, currency, price base year, capex, which city)
SPECS = [
    (Stage.IDENTIFIED, "EUR", 2024, "1000000.00", "city"),
    (Stage.IDENTIFIED, "EUR", 2024, "250000.50", "other"),
    (Stage.IDENTIFIED, "USD", 2024, "3000000.00", "city"),
    (Stage.FORMULATED, "EUR", 2023, "400000.00", "city"),
    (Stage.FORMULATED, "EUR", 2024, "600000.00", "other"),
    (Stage.PUBLISHED, "USD", 2024, "7000000.00", "other"),
    (Stage.DROPPED, "EUR", 2024, "90000.00", "city"),
]


def add_projects(app, world, specs, *, title="Project"):
    with app.app_context():
        rows = []
        for i, (stage, currency, year, capex, where) in enumerate(specs):
            rows.append(
                Project(
                    title=f"{title} {i}",
                    city_id=world.city_id if where == "city" else world.other_city_id,
                    sector_id=world.sector_id,
                    stage=stage,
                    currency=currency,
                    price_base_year=year,
                    start_year=2027,
                    capex_total=Decimal(capex),
                    published=stage is Stage.PUBLISHED,
                    dropped_reason="Superseded by a regional scheme"
                    if stage is Stage.DROPPED
                    else None,
                )
            )
        db.session.add_all(rows)
        db.session.commit()
        return [p.id for p in rows]


def expected_totals(specs):
    totals = defaultdict(lambda: defaultdict(Decimal))
    counts = defaultdict(int)
    for stage, currency, year, capex, _ in specs:
        counts[stage] += 1
        totals[stage][(currency, year)] += Decimal(capex)
    return counts, totals


def test_counts_and_capex_totals_per_stage_currency_and_price_base(app, world, as_role):
    from app.models import User
    from app.projects.pipeline import BoardFilters, pipeline_board

    as_role("staff")
    add_projects(app, world, SPECS)
    counts, totals = expected_totals(SPECS)
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
        board = pipeline_board(staff, BoardFilters())
    assert [c.stage for c in board.columns] == list(ORDER)
    for column in [*board.columns, board.dropped]:
        assert column.count == counts[column.stage]
        assert {(cur, year): total for cur, year, total in column.capex} == dict(
            totals[column.stage]
        )
    assert board.dropped.cards[0].dropped_reason == "Superseded by a regional scheme"


def test_the_board_page_shows_stages_in_order_with_totals_and_reasons(app, world, as_role):
    add_projects(app, world, SPECS)
    page = as_role("staff").get("/pipeline")
    assert page.status_code == 200
    text = page.text
    positions = [text.index(f'id="h-{stage.value}"') for stage in ORDER]
    assert positions == sorted(positions)
    # Identified: EUR 1,250,000.50 + USD 3,000,000 / 1.0824 USD per EUR (ECB 2024).
    assert "EUR 4.02 m (2024 prices)" in text
    assert "/ 1.0824 USD per EUR" in text
    # Formulated: EUR 400,000 of 2023 x HICP 126.07 / 123.15 + EUR 600,000.
    assert "EUR 1.01 m (2024 prices)" in text
    assert "EUR 2023 -&gt; EUR 2024 prices with euro_area_hicp_annual: 126.07 / 123.15" in text
    assert "Reason: Superseded by a regional scheme" in text


def test_totals_in_the_reporting_currency_the_user_picks(app, world, as_role):
    from app.models import User
    from app.projects.pipeline import BoardFilters, pipeline_board
    from app.projects.reporting import Report

    as_role("staff")
    add_projects(app, world, SPECS)
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
        board = pipeline_board(staff, BoardFilters(), report=Report(currency="NOK"))
    identified = board.columns[ORDER.index(Stage.IDENTIFIED)].reported
    nok = 10.74583333  # World Bank WDI, NOK per USD, 2024
    assert identified.currency == "NOK" and identified.price_base_year == 2024
    assert identified.value == pytest.approx(1_250_000.50 * 1.0824 * nok + 3_000_000 * nok)
    every = sum(float(c) for st, _, _, c, _ in SPECS if st is not Stage.DROPPED)
    assert board.total.value > every * 9  # all converted, none left out
    assert board.total.complete


def test_the_currency_choice_is_a_select_and_says_its_rate(app, world, as_role):
    add_projects(app, world, SPECS)
    client = as_role("staff")
    page = client.get("/pipeline?currency=usd")
    assert page.status_code == 200
    assert '<option value="USD" selected>' in page.text
    assert '<option value="TND">TND (Tunisia)</option>' in page.text
    assert "USD 7.00 m (2024 prices)" in page.text  # published: USD only, nothing converted
    assert "x 1.0824 USD per EUR" in page.text
    assert "World Bank, World Development Indicators" in page.text


@pytest.mark.parametrize("code", ["XYZ", "<script>", "EURO", "HRK"])
def test_an_unknown_currency_is_a_clear_message_not_a_500(app, world, as_role, code):
    add_projects(app, world, SPECS)
    page = as_role("staff").get("/pipeline", query_string={"currency": code})
    assert page.status_code == 400
    assert "is not a currency with prices and exchange rates" in page.text
    assert "<script>" not in page.text.split("<main")[1]
    assert "EUR 4.02 m (2024 prices)" in page.text  # shown in the default currency


def test_filters_by_city_sector_and_country(app, world, as_role, make_sector):
    add_projects(app, world, SPECS)
    client = as_role("staff")
    mine = [s for s in SPECS if s[4] == "city"]
    counts, _ = expected_totals(mine)
    for query in (f"city_id={world.city_id}", f"country_id={world.country_id}"):
        text = client.get(f"/pipeline?{query}").text
        for stage in ORDER:
            assert f'id="h-{stage.value}">{stage.value.replace("_", " ").capitalize()} ' in text
            assert (
                f'<span class="count">({counts[stage]})</span>'
                in text.split(f'id="h-{stage.value}"')[1].split("</h2>")[0]
            )
    other_sector = make_sector(slug="health", name="Health Infrastructure", position=11)
    text = client.get(f"/pipeline?sector_id={other_sector.id}").text
    assert "No project at this stage." in text and "Project 0" not in text


def test_at_most_n_cards_per_stage_and_a_link_to_see_all(app, world, as_role):
    from app.projects.pipeline_views import CARDS_PER_STAGE

    add_projects(app, world, [(Stage.FORMULATED, "EUR", 2024, "1.00", "city")] * 20)
    text = as_role("staff").get("/pipeline").text
    section = text.split('id="stage-formulated"')[1].split("</section>")[0]
    assert section.count('class="card"') == CARDS_PER_STAGE
    assert "/projects?stage=formulated" in section and "See all 20 formulated" in section


def test_the_board_runs_the_same_few_queries_whatever_the_size(app, world, as_role):
    client = as_role("staff")

    def queries_for_board() -> int:
        with app.app_context():
            statements = []
            listener = lambda *args: statements.append(args[2])  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                assert client.get("/pipeline").status_code == 200
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
            return len(statements)

    add_projects(app, world, SPECS)
    small = queries_for_board()
    add_projects(app, world, SPECS * 10, title="More")
    assert queries_for_board() == small


def post(client, url, data):
    return client.post(url, data=data | {"csrf_token": csrf_token(client.get("/pipeline"))})


def test_moving_a_project_to_the_next_stage(app, world, as_role):
    identified, *_ = add_projects(app, world, SPECS)
    client = as_role("staff")
    response = post(
        client, f"/projects/{identified}/advance", {"version": "1", "next": "/pipeline"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/pipeline")
    with app.app_context():
        project = db.session.get(Project, identified)
        assert project.stage is Stage.FORMULATED and project.version == 2
        audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "advance")).one()
        assert audit.changes["stage"] == {"from": "identified", "to": "formulated"}
    stale = post(client, f"/projects/{identified}/advance", {"version": "1"})
    assert stale.status_code == 409 and "changed by someone else" in stale.text


def test_publishing_is_not_a_board_move(app, world, as_role):
    (bundled,) = add_projects(app, world, [(Stage.BUNDLED, "EUR", 2024, "1.00", "city")])
    response = post(as_role("staff"), f"/projects/{bundled}/advance", {"version": "1"})
    assert response.status_code == 400 and "Publish the project to partners first" in response.text
    with app.app_context():
        assert db.session.get(Project, bundled).stage is Stage.BUNDLED


@pytest.mark.parametrize("reason", ["", "   ", "no"])
def test_dropping_needs_a_reason(app, world, as_role, reason):
    (project_id,) = add_projects(app, world, SPECS[:1])
    response = post(
        as_role("staff"), f"/projects/{project_id}/drop", {"version": "1", "reason": reason}
    )
    assert response.status_code == 400 and "Say why the project is dropped" in response.text
    with app.app_context():
        project = db.session.get(Project, project_id)
        assert project.stage is Stage.IDENTIFIED and project.dropped_reason is None


def test_a_dropped_project_shows_apart_with_its_reason(app, world, as_role):
    (project_id,) = add_projects(app, world, SPECS[:1])
    client = as_role("staff")
    reason = "The council chose district heating instead"
    response = post(
        client,
        f"/projects/{project_id}/drop",
        {"version": "1", "reason": reason, "next": "/pipeline"},
    )
    assert response.status_code == 302
    dropped = client.get("/pipeline").text.split('id="stage-dropped"')[1]
    assert f"Reason: {reason}" in dropped and "Project 0" in dropped
    again = post(client, f"/projects/{project_id}/advance", {"version": "2"})
    assert again.status_code == 400 and "dropped" in again.text


def test_a_card_shows_its_newest_appraisal_or_says_there_is_none(app, world, as_role):
    from app.models import AppraisalRun

    appraised, plain = add_projects(app, world, [SPECS[3], SPECS[4]])
    summary = {"enpv": 2_500_000.0, "verdict": "accept", "currency": "EUR", "price_base_year": 2024}
    with app.app_context():
        for verdict, enpv in (("reject", -1.0), ("accept", summary["enpv"])):  # newest last
            run_summary = summary | {"verdict": verdict, "enpv": enpv}
            db.session.add(
                AppraisalRun(
                    project_id=appraised,
                    parameter_set="EU 2014-2020",
                    engine_version="test",
                    inputs={},
                    results={"summary": run_summary},
                    verdict=verdict,
                )
            )
        db.session.commit()
    section = as_role("staff").get("/pipeline").text.split('id="stage-formulated"')[1]
    cards = {c.split("</a>")[0].rsplit(">", 1)[1]: c for c in section.split('class="card"')[1:]}
    assert "Appraisal: accept, ENPV EUR 2.50 m (2024 prices)" in cards["Project 0"]
    assert "Not appraised yet" in cards["Project 1"]


def test_a_project_is_appraised_only_once_it_has_an_appraisal(app, world, as_role):
    (formulated,) = add_projects(app, world, [(Stage.FORMULATED, "EUR", 2024, "1.00", "city")])
    client = as_role("staff")
    page = client.get(f"/projects/{formulated}")
    assert "Appraise the project first" in page.text and "Move to appraised" not in page.text
    response = post(client, f"/projects/{formulated}/advance", {"version": "1"})
    assert response.status_code == 400 and "Appraise the project first" in response.text
    with app.app_context():
        assert db.session.get(Project, formulated).stage is Stage.FORMULATED
