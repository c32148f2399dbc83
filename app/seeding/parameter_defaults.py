"""Each country's default appraisal parameter set, from seeds/parameter_set_by_country.csv.

EU member states follow the EU 2021-2027 set, the United Kingdom the Green Book, Norway
its R-109 circular, and the row ``*`` every other country (the World Bank set). A city
follows its country unless staff choose another set for it.
"""

from __future__ import annotations

from pathlib import Path

from app.models import Country
from app.seeding import reader as r
from app.seeding.upsert import Upserter
from appraisal.analysis.parameters import available_parameter_sets

FILE = "parameter_set_by_country.csv"
EVERY_OTHER = "*"


def load_parameter_defaults(root: Path, up: Upserter, countries: dict[str, Country]) -> None:
    known_sets = r.Lookup("built-in parameter set", {n: n for n, _ in available_parameter_sets()})
    known_countries = r.Lookup("country", {**countries, EVERY_OTHER: None})
    chosen: dict[str, str] = {}
    for line, row in r.read_rows(
        root,
        FILE,
        {"country_iso2": r.required_text, "parameter_set": r.required_text, "reason": r.text},
    ):
        known_countries.get(row["country_iso2"], f"seeds/{FILE}", line, "country_iso2")
        known_sets.get(row["parameter_set"], f"seeds/{FILE}", line, "parameter_set")
        chosen[row["country_iso2"]] = row["parameter_set"]
    fallback = chosen.pop(EVERY_OTHER, None)
    for iso2, country in countries.items():
        wanted = chosen.get(iso2, fallback)
        if country.parameter_set != wanted:
            country.parameter_set = wanted
    up.session.flush()
