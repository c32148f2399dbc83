"""Runs the loaders in one transaction: a bad row leaves the database as it was."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from app.core.errors import InvalidInput
from app.core.extensions import db
from app.seeding.reference import load_reference
from app.seeding.upsert import Upserter

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@dataclass
class SeedReport:
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    accounts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(self.added.values()) + sum(self.updated.values())

    def lines(self) -> list[str]:
        if not self.changed:
            return ["Nothing to change: the database already holds these seeds."]
        lines = [f"added {n:>6} {table}" for table, n in sorted(self.added.items())]
        lines += [f"updated {n:>4} {table}" for table, n in sorted(self.updated.items())]
        return lines


def seed_database(
    *, demo: bool = False, demo_password: str | None = None, root: Path = SEEDS
) -> SeedReport:
    """Load the reference data (and, with ``demo``, the illustrative demo set).

    Idempotent: a second run with the same files changes nothing. A malformed row
    raises SeedError naming file, row and column, and nothing is written.
    """
    session = db.session
    missing = {"kpi", "city", "project", "user"} - set(sa.inspect(db.engine).get_table_names())
    if missing:
        raise InvalidInput(
            f"The database at {db.engine.url.render_as_string(hide_password=True)} lacks "
            f"tables ({', '.join(sorted(missing))}): run `usc db upgrade` first."
        )
    up = Upserter(session)
    report = SeedReport()
    try:
        load_reference(root, up)
        if demo:
            from app.seeding.demo import load_demo

            report.accounts = load_demo(root, up, demo_password)
        session.flush()
        report.added, report.updated = dict(up.added), dict(up.updated)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return report
