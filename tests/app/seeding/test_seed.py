"""Seeding: the reference data loads, a second run changes nothing, a bad row writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core.errors import SeedError
from app.core.extensions import db
from app.models import City, Kpi, KpiTarget, KpiValue, ProjectTemplate, SdgGoal, Sector
from app.seeding import seed_database
from app.seeding.runner import SEEDS


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_reference_seed_loads_the_real_data_and_is_idempotent(app):
    with app.app_context():
        first = seed_database()
        assert count(Kpi) == 91
        assert count(Sector) == 12
        assert count(City) == 5
        assert count(ProjectTemplate) == 50
        assert {g.number for g in db.session.scalars(select(SdgGoal))} == {6, 7, 8, 9, 11, 13, 17}
        assert db.session.scalar(select(func.count(func.distinct(KpiTarget.kpi_id)))) == 48
        assert count(KpiValue) == 74
        assert first.changed > 0
        second = seed_database()
        assert second.changed == 0, second.lines()
        assert second.lines() == ["Nothing to change: the database already holds these seeds."]


def test_every_kpi_belongs_to_a_sector_and_every_template_moves_kpis(app):
    with app.app_context():
        seed_database()
        assert all(kpi.sectors for kpi in db.session.scalars(select(Kpi)))
        templates = list(db.session.scalars(select(ProjectTemplate)))
        assert all(t.kpis and t.lifetime_years and t.source_title for t in templates)


def corrupt(tmp_path: Path, relative: str, find: str, replace: str) -> Path:
    root = tmp_path / "seeds"
    shutil.copytree(SEEDS, root)
    target = root / relative
    text = target.read_text(encoding="utf-8")
    assert find in text
    target.write_text(text.replace(find, replace, 1), encoding="utf-8")
    return root


def test_malformed_row_names_file_row_and_column_and_writes_nothing(app, tmp_path):
    # The catalogue loads last, so a bad row there proves earlier files are rolled back.
    root = corrupt(tmp_path, "solution_catalogue.csv", "5000,170000,25450000", "5000,lots,25450000")
    with app.app_context():
        with pytest.raises(SeedError) as raised:
            seed_database(root=root)
        message = raised.value.message
        assert "seeds/solution_catalogue.csv, row 2" in message
        assert "column 'capex_per_unit_central'" in message and "'lots' is not a number" in message
        db.session.rollback()
        assert count(Kpi) == 0 and count(Sector) == 0 and count(City) == 0


def test_unknown_reference_is_named(app, tmp_path):
    root = corrupt(tmp_path, "kpi_sectors.csv", ",energy,", ",enrgy,")
    with (
        app.app_context(),
        pytest.raises(SeedError, match=r"kpi_sectors.csv, row \d+, column 'sector_slug'"),
    ):
        seed_database(root=root)


def test_seed_command_reports_the_bad_cell(app, runner, tmp_path):
    root = corrupt(tmp_path, "u4ssc_kpis.csv", ",higher,", ",upwards,")
    result = runner.invoke(args=["seed", "--from", str(root)])
    assert result.exit_code != 0
    assert "Nothing was loaded" in result.output
    assert "u4ssc_kpis.csv, row" in result.output and "'upwards'" in result.output


@pytest.mark.parametrize("relative", ["sectors.csv", "countries.csv", "demo/partners.csv"])
def test_a_duplicate_key_names_the_file_both_rows_and_the_column_and_writes_nothing(
    app, tmp_path, relative
):
    root = tmp_path / "seeds"
    shutil.copytree(SEEDS, root)
    target = root / relative
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    target.write_text("".join([*lines, lines[1]]), encoding="utf-8")  # row 2 again at the end
    with app.app_context():
        with pytest.raises(SeedError) as raised:
            seed_database(root=root, demo=True, demo_password="a long demo password")
        message = raised.value.message
        assert f"seeds/{relative}, row {len(lines) + 1}" in message
        assert "repeats the key of row 2" in message and "column '" in message
        db.session.rollback()
        assert count(Kpi) == 0 and count(Sector) == 0 and count(City) == 0
