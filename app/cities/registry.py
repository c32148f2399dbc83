"""Cities come in: found in the GeoNames reference or entered by hand, and edited.

The GeoNames reference is ``seeds/cities_pop100k_geonames.csv`` (every city over
100,000 people, CC BY 4.0); smaller cities (Pully, Ålesund) are entered by hand with
their population's year and source. Every addition and change is audited.
"""

from __future__ import annotations

import csv
import re
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache

from sqlalchemy import select

from app.core.audit import record
from app.core.errors import InvalidInput, NotFound
from app.core.extensions import db
from app.core.fields import fold
from app.core.permissions import require_staff
from app.models import City, Country, User
from app.seeding.runner import SEEDS

__all__ = ["CityInput", "GeoName", "search_geonames", "geoname", "add_city", "edit_city"]

GEONAMES = "cities_pop100k_geonames.csv"
GEONAMES_SOURCE = "GeoNames cities15000 (CC BY 4.0); population year not stated by GeoNames"


@dataclass(frozen=True)
class GeoName:
    geonameid: int
    name: str
    country_iso2: str
    admin1code: str
    latitude: float
    longitude: float
    population: int
    timezone: str


@dataclass
class CityInput:
    """A city as the form or the command line gives it."""

    name: str
    country_iso2: str
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None
    population_year: int | None = None
    population_source: str | None = None
    currency: str | None = None
    admin1code: str | None = None
    geonameid: int | None = None
    timezone: str | None = None


@cache
def _geonames() -> tuple[GeoName, ...]:
    with (SEEDS / GEONAMES).open(encoding="utf-8") as handle:
        return tuple(
            GeoName(
                int(row["geonameid"]),
                row["name"],
                row["country_code"],
                row["admin1code"],
                float(row["latitude"]),
                float(row["longitude"]),
                int(row["population"]),
                row["timezone"],
            )
            for row in csv.DictReader(handle)
        )


def search_geonames(q: str, country_iso2: str | None = None, limit: int = 20) -> list[GeoName]:
    """Reference cities whose name starts with (then contains) ``q``, largest first."""
    wanted = fold(q.strip())
    if len(wanted) < 2:
        return []
    found = [
        (folded, g)
        for folded, g in _folded_geonames()
        if wanted in folded and (not country_iso2 or g.country_iso2 == country_iso2)
    ]
    found.sort(key=lambda pair: (not pair[0].startswith(wanted), -pair[1].population))
    return [g for _, g in found[:limit]]


@cache
def _folded_geonames() -> tuple[tuple[str, GeoName], ...]:
    """Each reference city with its folded name, folded once per process."""
    return tuple((fold(g.name), g) for g in _geonames())


def geoname(geonameid: int) -> GeoName | None:
    return next((g for g in _geonames() if g.geonameid == geonameid), None)


def _slug(name: str, iso2: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "city"
    return f"{base[:70]}-{iso2.lower()}"


def _checked(data: CityInput) -> tuple[CityInput, Country]:
    name = (data.name or "").strip()
    if not name:
        raise InvalidInput("Give the city's name.")
    iso2 = (data.country_iso2 or "").strip().upper()
    country = db.session.scalar(select(Country).where(Country.iso2 == iso2))
    if country is None:
        raise InvalidInput(f"There is no country '{iso2}': give its ISO alpha-2 code (NO, CH).")
    if (data.latitude is None) != (data.longitude is None):
        raise InvalidInput("Give both the latitude and the longitude, or neither.")
    if data.latitude is not None and not -90 <= data.latitude <= 90:
        raise InvalidInput(f"Latitude {data.latitude} is outside -90 to 90 degrees.")
    if data.longitude is not None and not -180 <= data.longitude <= 180:
        raise InvalidInput(f"Longitude {data.longitude} is outside -180 to 180 degrees.")
    if data.population is not None:
        if data.population < 0:
            raise InvalidInput("The population cannot be negative.")
        if not data.population_source or not data.population_source.strip():
            raise InvalidInput("Say where the population figure comes from (its source).")
    if data.population_year is not None and data.population_year > date.today().year:
        raise InvalidInput(f"The population year {data.population_year} is in the future.")
    currency = (data.currency or country.currency_code or "").strip().upper() or None
    if currency and not re.fullmatch(r"[A-Z]{3}", currency):
        raise InvalidInput(f"'{currency}' is not a currency code: give three letters (NOK, EUR).")
    return CityInput(
        **{**asdict(data), "name": name, "country_iso2": iso2, "currency": currency}
    ), country


def add_city(user: User, data: CityInput) -> City:
    """A new city (staff); InvalidInput names what to fix, or the city that exists."""
    require_staff(user)
    data, country = _checked(data)
    slug = _slug(data.name, data.country_iso2)
    existing = db.session.scalar(select(City).where(City.slug == slug))
    if existing is None and data.geonameid:
        existing = db.session.scalar(select(City).where(City.geonameid == data.geonameid))
    if existing is not None:
        raise InvalidInput(
            f"{existing.name} ({data.country_iso2}) exists already as city {existing.id}: "
            f"open /cities/{existing.id}/edit to change it."
        )
    city = City(slug=slug, country_id=country.id, source=_source(data))
    _apply(city, data)
    db.session.add(city)
    db.session.flush()
    record("create", "city", city.id, {"name": city.name, "slug": slug}, user_id=user.id)
    db.session.commit()
    return city


def edit_city(user: User, city_id: int, data: CityInput) -> City:
    """Change a city's facts (staff); the audit keeps each previous value."""
    require_staff(user)
    city = db.session.get(City, city_id)
    if city is None:
        raise NotFound(f"There is no city {city_id}.")
    data, country = _checked(data)
    before = {name: getattr(city, name) for name in _FIELDS}
    city.country_id = country.id
    _apply(city, data)
    changes = {
        name: {"from": str(before[name]), "to": str(getattr(city, name))}
        for name in _FIELDS
        if before[name] != getattr(city, name)
    }
    if changes:
        record("update", "city", city.id, changes, user_id=user.id)
    db.session.commit()
    return city


_FIELDS = ("name", "latitude", "longitude", "population", "population_year",
           "population_source", "currency", "admin1code", "geonameid", "timezone")  # fmt: skip


def _apply(city: City, data: CityInput) -> None:
    for name in _FIELDS:
        setattr(city, name, getattr(data, name))


def _source(data: CityInput) -> str:
    if data.geonameid:
        return f"{GEONAMES_SOURCE}; added on the platform"
    return "Entered by hand on the platform (not in the GeoNames 100k list)"
