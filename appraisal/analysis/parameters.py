"""Named, versioned appraisal parameter sets, each value with its source.

No discount rate, conversion factor or carbon price is written into the appraisal
code: a CBA always runs under a :class:`ParameterSet` picked by name (and version),
so a result can say which rules it followed. Change a value with :meth:`ParameterSet.derive`,
which gives the variant a new name and requires a source for it.

The built-in sets are data, ``appraisal/data/parameter_sets.json`` (described in
``appraisal/data/README.md``): the EU 2014-2020 Guide, the EU 2021-2027 Vademecum, the
World Bank (low and high carbon price), the Asian Development Bank, the UK Green Book
and Norway's R-109. Each value names its reference (title, publisher, year, address),
the place in it and what it says; a value whose source says "Recalled" was not read in
the source during this work and should be checked against it before publication.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources

from appraisal.analysis.parameter_types import (
    EDITABLE_VALUES,
    SENSE_LIMITS,
    CarbonPricePath,
    ParameterSet,
    carbon_path_from_dict,
    sense_problems,
)
from appraisal.errors import InvalidParameterError

__all__ = [
    "carbon_price_variants",
    "CarbonPricePath",
    "ParameterSet",
    "EDITABLE_VALUES",
    "SENSE_LIMITS",
    "EIB_2020_CARBON_PATH",
    "available_parameter_sets",
    "get_parameter_set",
    "load_parameter_sets",
    "sense_problems",
]

_RECALLED = " Recalled: not checked in the source during this work."


def format_source(references: Mapping[str, Mapping], entry: Mapping) -> str:
    """One value's source as a sentence: reference, place, what it says, address.

    Examples
    --------
    >>> refs = {"g": {"title": "Guide", "publisher": "EC", "year": 2014, "url": "https://x"}}
    >>> format_source(refs, {"ref": "g", "locator": "section 2", "note": "4 %",
    ...                      "checked": "read"})
    'Guide (EC, 2014), section 2: 4 %. https://x'
    """
    try:
        ref = references[entry["ref"]]
    except KeyError:
        raise InvalidParameterError(
            f"a source names the reference {entry.get('ref')!r}, which is not listed; "
            "add it to the file's references"
        ) from None
    if entry.get("checked") not in {"read", "recalled"}:
        raise InvalidParameterError(
            f"a source of {entry['ref']!r} has checked={entry.get('checked')!r}; "
            "say 'read' or 'recalled'"
        )
    text = f"{ref['title']} ({ref['publisher']}, {ref['year']})"
    if entry.get("locator"):
        text += f", {entry['locator']}"
    text += f": {entry['note']}."
    if ref.get("url"):
        text += f" {ref['url']}"
    if entry["checked"] == "recalled":
        text += _RECALLED
    return text


def _carbon_paths(data: Mapping) -> dict[str, CarbonPricePath]:
    refs = data["references"]
    return {
        key: carbon_path_from_dict(path | {"source": format_source(refs, path["source"])})
        for key, path in data["carbon_paths"].items()
    }


def _build(data: Mapping) -> dict[tuple[str, str], ParameterSet]:
    refs = data["references"]
    carbon = _carbon_paths(data)
    periods = data["reference_periods"]
    built: dict[tuple[str, str], ParameterSet] = {}
    latest: dict[str, ParameterSet] = {}
    for spec in data["sets"]:
        values = {k: float(v["value"]) for k, v in spec["values"].items()}
        sources = {k: format_source(refs, v["source"]) for k, v in spec["values"].items()}
        if spec.get("carbon_price"):
            sources["carbon_price"] = carbon[spec["carbon_price"]].source
        if spec.get("reference_periods"):
            sources["reference_periods"] = format_source(
                refs, periods[spec["reference_periods"]]["source"]
            )
        base = latest.get(spec.get("based_on", ""))
        if spec.get("based_on") and base is None:
            raise InvalidParameterError(
                f"set {spec['name']!r} is based on {spec['based_on']!r}, which is not listed "
                "before it"
            )
        fields = {
            "name": spec["name"],
            "version": spec["version"],
            "notes": spec.get("notes", ""),
            "sources": (dict(base.sources) if base else {}) | sources,
            **values,
        }
        if spec.get("carbon_price"):
            fields["carbon_price"] = carbon[spec["carbon_price"]]
        if spec.get("reference_periods"):
            fields["reference_periods"] = {
                k: tuple(v) for k, v in periods[spec["reference_periods"]]["periods"].items()
            }
        params = base.to_dict() | fields if base else fields
        if base:
            params["carbon_price"] = fields.get("carbon_price", base.carbon_price)
            params["reference_periods"] = fields.get("reference_periods", base.reference_periods)
        try:
            made = ParameterSet(**params)
        except TypeError as exc:
            raise InvalidParameterError(f"set {spec['name']!r} lacks a value: {exc}") from None
        problems = sense_problems({k: getattr(made, k) for k in EDITABLE_VALUES})
        if problems:
            raise InvalidParameterError(f"set {spec['name']!r}: {'; '.join(problems.values())}")
        built[(made.name, made.version)] = made
        latest[made.name] = made
    return built


def load_parameter_sets(text: str) -> dict[tuple[str, str], ParameterSet]:
    """Parameter sets from the JSON of ``appraisal/data/parameter_sets.json``.

    Raises InvalidParameterError naming the set or source that is wrong (a missing
    reference, a value outside sense, a set based on one not listed before it).
    """
    return _build(json.loads(text))


@functools.cache
def _text() -> str:
    path = resources.files("appraisal").joinpath("data/parameter_sets.json")
    return path.read_text(encoding="utf-8")


@functools.cache
def _sets() -> dict[tuple[str, str], ParameterSet]:
    return load_parameter_sets(_text())


_VARIANTS = ("low", "central", "high")


@functools.cache
def _carbon_families() -> dict[str, dict[str, CarbonPricePath]]:
    data = json.loads(_text())
    carbon = _carbon_paths(data)
    family_of: dict[str, str] = {}
    members: dict[str, dict[str, CarbonPricePath]] = {}
    for spec in data["sets"]:
        base = spec.get("based_on")
        family = family_of.get(base, base) if base else spec["name"]
        family_of[spec["name"]] = family
        key = spec.get("carbon_price") or ""
        label = key.rsplit("-", 1)[-1]
        if label in _VARIANTS:
            members.setdefault(family, {})[label] = carbon[key]
    return {
        name: {v: members[family][v] for v in _VARIANTS if v in members[family]}
        for name, family in family_of.items()
        if len(members.get(family, {})) > 1
    }


def carbon_price_variants(name: str) -> dict[str, CarbonPricePath]:
    """The low / central / high carbon price paths a built-in set's family offers.

    A family is a set and the sets based on it; a variant is a carbon path whose key
    ends in ``-low``, ``-central`` or ``-high``. Empty when the family has one path.

    Examples
    --------
    >>> list(carbon_price_variants("World Bank"))
    ['low', 'high']
    >>> [p.price([2030]).item() for p in carbon_price_variants("World Bank").values()]
    [50.0, 100.0]
    >>> carbon_price_variants("EU 2014-2020")
    {}
    """
    return dict(_carbon_families().get(name, {}))


EIB_2020_CARBON_PATH = _sets()[("EU 2014-2020", "2014.12-eib2020carbon")].carbon_price


def available_parameter_sets() -> list[tuple[str, str]]:
    """The (name, version) of every built-in set.

    Examples
    --------
    >>> ("EU 2014-2020", "2014.12-eib2020carbon") in available_parameter_sets()
    True
    >>> sorted({n for n, _ in available_parameter_sets()})[:3]
    ['ADB 2017', 'ADB 2017 social sectors', 'EU 2014-2020']
    """
    return sorted(_sets())


def get_parameter_set(name: str, version: str | None = None) -> ParameterSet:
    """A built-in parameter set by name, the latest version unless one is given.

    Raises
    ------
    InvalidParameterError
        No set of that name (or version); the message lists those that exist.

    Examples
    --------
    >>> p = get_parameter_set("EU 2014-2020")
    >>> p.financial_discount_rate, p.social_discount_rate, p.cofinancing_rate
    (0.04, 0.05, 0.85)
    >>> get_parameter_set("EU 2014-2020 non-cohesion").social_discount_rate
    0.03
    >>> get_parameter_set("World Bank").carbon_price.price([2030]).tolist()
    [50.0]
    """
    sets = _sets()
    versions = sorted(v for (n, v) in sets if n == name)
    if not versions:
        names = sorted({n for n, _ in sets})
        raise InvalidParameterError(f"no parameter set named {name!r}; choose one of {names}")
    if version is None:
        version = versions[-1]
    if (name, version) not in sets:
        raise InvalidParameterError(
            f"parameter set {name!r} has no version {version!r}; versions: {versions}"
        )
    return sets[(name, version)]
