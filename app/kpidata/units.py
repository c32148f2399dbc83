"""Units as reports write them, read against a KPI's own unit.

Real reports spell one unit many ways ("per 100 000 inhabitants" for "subscriptions
per 100,000 inhabitants", "% of GDP" for "% of city GDP", "yrs", "per cap."). A written
unit is read in three steps:

1. **Spelling** is normalised: case, spacing, thousands separators, parentheses,
   and the abbreviations of the ``spelling`` rows of seeds/kpi_unit_synonyms.csv.
2. It is **the KPI's unit** when it equals it, or when it leaves out only the KPI's
   own qualifiers (the words before the rate's base: "number of hotspots" for
   "number of public WiFi hotspots"), or when both are the same kind of measure that
   needs no qualifier (two shares, two counts, two yes/no), or when a ``synonym`` row
   names it for that KPI.
3. Otherwise a **conversion** row may turn it into the KPI's unit with a factor
   ("per 1000 inhabitants" x 100 = "per 100,000 inhabitants").

Anything else measures something else, and :class:`UnitError` says what it measures
and what the KPI is measured in.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

SYNONYMS = Path(__file__).resolve().parents[2] / "seeds" / "kpi_unit_synonyms.csv"

__all__ = ["UnitError", "UnitReading", "measure_of", "normalise_unit", "read_unit"]


class UnitError(ValueError):
    """A unit that is not the KPI's unit nor a known conversion to it."""


@dataclass(frozen=True)
class UnitReading:
    """How a written unit relates to the KPI's unit: value x ``factor`` is in the KPI unit."""

    factor: float
    how: str  # "" when the unit is the KPI's own, else what was converted


@dataclass(frozen=True)
class _Table:
    spelling: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    conversions: tuple[tuple[tuple[str, ...], tuple[str, ...], float], ...]
    synonyms: dict[str, frozenset[str]]  # KPI code -> normalised written units


_GROUPED_DIGITS = re.compile(r"(?<=\d)[ ,.\u00a0\u202f'](?=\d{3}(?!\d))")


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold().replace("μ", "u")
    text = re.sub(
        r"\([^)]*\)", " ", text
    )  # parenthetical qualifiers: "(CAIDI)", "(data points ...)"
    while _GROUPED_DIGITS.search(text):
        text = _GROUPED_DIGITS.sub("", text)
    text = re.sub(r"(?<!\byes)(?<!\by)/(?!no\b|n\b)", " per ", text)  # kWh/yr; not yes/no
    text = text.replace("%", " % ").replace(",", " ")
    return text.split()


def _replace(tokens: list[str], written: tuple[str, ...], means: tuple[str, ...]) -> list[str]:
    out, i, n = [], 0, len(written)
    while i < len(tokens):
        if tuple(tokens[i : i + n]) == written:
            out.extend(means)
            i += n
        else:
            out.append(tokens[i])
            i += 1
    return out


@cache
def _table() -> _Table:
    spelling, conversions, synonyms = [], [], {}
    with SYNONYMS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["kind"] == "spelling":
            spelling.append((tuple(_tokens(row["written"])), tuple(_tokens(row["means"]))))
    # longer phrases first, so "per cent" wins over a one-word rule
    spelling.sort(key=lambda pair: -len(pair[0]))
    table = _Table(tuple(spelling), (), {})
    for row in rows:
        if row["kind"] == "conversion":
            conversions.append(
                (
                    tuple(_spelled(_tokens(row["written"]), table)),
                    tuple(_spelled(_tokens(row["means"]), table)),
                    float(row["factor"]),
                )
            )
        elif row["kind"] == "synonym":
            code = row["kpi_code"].strip()
            written = " ".join(_spelled(_tokens(row["written"]), table))
            synonyms[code] = synonyms.get(code, frozenset()) | {written}
    conversions.sort(key=lambda c: -len(c[0]))
    return _Table(table.spelling, tuple(conversions), synonyms)


def _spelled(tokens: list[str], table: _Table) -> list[str]:
    for written, means in table.spelling:
        tokens = _replace(tokens, written, means)
    return tokens


@lru_cache(maxsize=8192)
def normalise_unit(text: str | None) -> str:
    """A unit in one spelling.

    >>> normalise_unit("Subscriptions per 100,000 Inhabitants")
    'subscriptions per 100000 inhabitants'
    >>> normalise_unit("kWh/yr per cap.")
    'kwh per year per capita'
    >>> normalise_unit("µg/m³ annual mean (PM2.5)")
    'ug per m3 annual mean'
    """
    return " ".join(_spelled(_tokens(text or ""), _table()))


# --- what a unit measures (for the reason of a refusal, and for same-kind matches) -----

_KINDS = (
    ("yes or no", lambda t: t[:1] == ["yes/no"] or t in (["yes"], ["no"])),
    ("a share in %", lambda t: t[:1] == ["%"]),
    ("a rate per inhabitants", lambda t: "per" in t and "inhabitants" in t),
    ("a rate per live births", lambda t: "per" in t and "births" in t),
    ("a per-capita quantity", lambda t: "per" in t and "capita" in t),
    ("a total (a count)", lambda t: t[:1] == ["number"] and "per" not in t),
    ("a ratio", lambda t: t[:1] in (["ratio"], ["coefficient"])),
    ("a duration", lambda t: t[:1] in (["minutes"], ["hours"], ["years"], ["days"], ["seconds"])),
    ("a length", lambda t: t[:1] in (["km"], ["m"], ["miles"])),
    ("an area", lambda t: t[:1] in (["km2"], ["m2"], ["hectares"], ["acres"])),
    ("an energy", lambda t: t[:1] in (["kwh"], ["mwh"], ["gwh"], ["gj"], ["mj"], ["ekwh"])),
    ("a mass", lambda t: t[:1] in (["tonnes"], ["kg"])),
    ("a volume", lambda t: t[:1] in (["litres"], ["m3"])),
    ("a concentration", lambda t: t[:3] == ["ug", "per", "m3"]),
    ("a sum of money", lambda t: bool(t) and t[0] in {"eur", "usd", "€", "$", "nok", "tnd"}),
)
_QUALIFIER_FREE = {"yes or no", "a share in %", "a total (a count)", "a ratio"}


def measure_of(unit: str | None) -> str:
    """What a unit measures, in words.

    >>> measure_of("km")
    'a length'
    >>> measure_of("% of households")
    'a share in %'
    """
    tokens = normalise_unit(unit).split()
    return next((name for name, test in _KINDS if test(tokens)), "another measure")


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(token in it for token in short)


def _same(written: list[str], form: list[str]) -> bool:
    """Is ``written`` the KPI unit ``form``, leaving out only the KPI's own qualifiers?"""
    if written == form:
        return True
    if not written or not _is_subsequence(written, form):
        return False
    if "per" in form:  # every "per ..." of a rate is kept whole; words before are qualifiers
        return set(_per_segments(form)) <= set(_per_segments(written))
    return written[0] == form[0]


def _per_segments(tokens: list[str]) -> list[tuple[str, ...]]:
    """The rate's bases: "per 100000 inhabitants", "per year", "per m3"."""
    segments = []
    for i, token in enumerate(tokens):
        if token == "per":
            end = i + 2 if i + 1 < len(tokens) and not tokens[i + 1].isdigit() else i + 3
            segments.append(tuple(tokens[i + 1 : end]))
    return segments


def _forms(kpi_unit: str) -> list[list[str]]:
    """The KPI unit's accepted forms: "number and % (...)" is "number" or "%"."""
    tokens = normalise_unit(kpi_unit).split()
    forms, current = [], []
    for token in tokens:
        if token == "and":
            forms.append(current)
            current = []
        else:
            current.append(token)
    forms.append(current)
    return [form for form in forms if form]


def _accepted(written: list[str], kpi_code: str, kpi_unit: str) -> bool:
    if " ".join(written) in _table().synonyms.get(kpi_code, ()):
        return True
    kind = measure_of(" ".join(written))
    for form in _forms(kpi_unit):
        if _same(written, form):
            return True
        if kind in _QUALIFIER_FREE and kind == measure_of(" ".join(form)):
            return True
    return False


@lru_cache(maxsize=8192)  # a file repeats a few units thousands of times
def read_unit(written: str | None, kpi_code: str, kpi_unit: str | None) -> UnitReading:
    """How a value written in ``written`` reads in the KPI's unit (factor 1 when the same).

    An empty unit means the KPI's own. Raises :class:`UnitError` with the reason.

    >>> read_unit("per 100 000 inhabitants", "X", "number per 100,000 inhabitants").factor
    1.0
    >>> read_unit("per 1,000 inhabitants", "X", "number per 100,000 inhabitants")
    UnitReading(factor=100.0, how='per 1000 inhabitants -> per 100000 inhabitants (x 100)')
    >>> read_unit("number", "X", "number per 100,000 inhabitants")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    app.kpidata.units.UnitError: 'number' measures a total (a count), but X is measured in ...
    """
    if not kpi_unit or not (written or "").strip():
        return UnitReading(1.0, "")
    tokens = normalise_unit(written).split()
    if _accepted(tokens, kpi_code, kpi_unit):
        return UnitReading(1.0, "")
    kpi_tokens = set(normalise_unit(kpi_unit).split())
    factor, steps, converted = 1.0, [], tokens
    for source, target, by in _table().conversions:
        if set(target) <= kpi_tokens and not set(source) <= kpi_tokens:
            replaced = _replace(converted, source, target)
            if replaced != converted:
                converted, factor = replaced, factor * by
                steps.append(f"{' '.join(source)} -> {' '.join(target)} (x {by:g})")
    if steps and _accepted(converted, kpi_code, kpi_unit):
        return UnitReading(factor, "; ".join(steps))
    written_kind, kpi_kind = measure_of(written), measure_of(kpi_unit)
    if written_kind == kpi_kind:
        raise UnitError(
            f"'{written}' is not the unit of {kpi_code} ('{kpi_unit}') nor a known conversion "
            f"to it. Give the value in {kpi_unit}; if it is the same unit spelled another way, "
            "staff can add the spelling to seeds/kpi_unit_synonyms.csv."
        )
    raise UnitError(
        f"'{written}' measures {written_kind}, but {kpi_code} is measured in "
        f"'{kpi_unit}' ({kpi_kind}). Give the value in {kpi_unit}, or in a unit "
        "that converts to it."
    )
