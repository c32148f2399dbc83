"""Insert-or-update by natural key, counting real changes (a second seed run counts none)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session


def _same(old, new) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        try:
            return old is not None and new is not None and Decimal(old) == Decimal(new)
        except (TypeError, ValueError):
            return False
    if isinstance(old, float) and isinstance(new, float | int):
        return abs(old - new) <= 1e-12 * max(1.0, abs(old))
    return old == new


class Upserter:
    """Keeps one index per model and counts inserts and updates per table."""

    def __init__(self, session: Session):
        self.session = session
        self.indexes: dict[tuple, dict] = {}
        self.added: Counter = Counter()
        self.updated: Counter = Counter()
        self.new: set[int] = set()

    def index(self, model, *key_fields: str) -> dict:
        cache_key = (model, key_fields)
        if cache_key not in self.indexes:
            rows = self.session.scalars(select(model))
            self.indexes[cache_key] = {
                tuple(getattr(row, field) for field in key_fields): row for row in rows
            }
        return self.indexes[cache_key]

    def upsert(self, model, key: dict, values: dict):
        fields = tuple(key)
        index = self.index(model, *fields)
        index_key = tuple(key[field] for field in fields)
        row = index.get(index_key)
        if row is None:
            row = model(**key, **values)
            self.session.add(row)
            index[index_key] = row
            self.added[model.__tablename__] += 1
            self.new.add(id(row))
            return row
        changed = False
        for name, value in values.items():
            if not _same(getattr(row, name), value):
                setattr(row, name, value)
                changed = True
        if changed:
            self.updated[model.__tablename__] += 1
        return row

    def set_collection(self, row, attribute: str, members: list) -> None:
        """Replace a many-to-many collection only when its members differ."""
        current = getattr(row, attribute)
        if {id(m) for m in current} != {id(m) for m in members}:
            setattr(row, attribute, list(members))
            if id(row) not in self.new:
                self.updated[f"{type(row).__tablename__}.{attribute}"] += 1
