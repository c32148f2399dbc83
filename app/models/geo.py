"""Countries and cities."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base


class Country(Base):
    """A country with its ISO codes and World Bank classification (FY2024)."""

    __tablename__ = "country"

    id: Mapped[int] = mapped_column(primary_key=True)
    iso2: Mapped[str] = mapped_column(sa.String(2), unique=True)
    iso3: Mapped[str] = mapped_column(sa.String(3), unique=True)
    iso_numeric: Mapped[int | None]
    name: Mapped[str] = mapped_column(sa.String(120))
    continent: Mapped[str | None] = mapped_column(sa.String(2))
    capital: Mapped[str | None] = mapped_column(sa.String(120))
    population: Mapped[int | None] = mapped_column(sa.BigInteger)
    currency_code: Mapped[str | None] = mapped_column(sa.String(3))
    wb_region: Mapped[str | None] = mapped_column(sa.String(60))
    income_group: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    lending_category: Mapped[str | None] = mapped_column(sa.String(20))
    # The appraisal parameter set its cities use by default (seeds/parameter_set_by_country.csv).
    parameter_set: Mapped[str | None] = mapped_column(sa.String(60))

    cities: Mapped[list[City]] = relationship(back_populates="country")

    def __repr__(self) -> str:
        return f"<Country {self.iso2}>"


class City(Base):
    """A city; ``illustrative`` marks cities whose KPI values are not real data."""

    __tablename__ = "city"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), index=True)
    country_id: Mapped[int] = mapped_column(sa.ForeignKey("country.id"), index=True)
    geonameid: Mapped[int | None] = mapped_column(unique=True)
    admin1code: Mapped[str | None] = mapped_column(sa.String(20))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    population: Mapped[int | None] = mapped_column(sa.BigInteger)
    population_year: Mapped[int | None]
    population_source: Mapped[str | None] = mapped_column(sa.String(300))
    #: The currency its budgets are in (default: the country's).
    currency: Mapped[str | None] = mapped_column(sa.String(3))
    timezone: Mapped[str | None] = mapped_column(sa.String(60))
    language: Mapped[str | None] = mapped_column(sa.String(8))
    illustrative: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str | None] = mapped_column(sa.Text)
    # Set by staff when the city should not follow its country's default parameter set.
    parameter_set: Mapped[str | None] = mapped_column(sa.String(60))

    country: Mapped[Country] = relationship(back_populates="cities")

    def __repr__(self) -> str:
        return f"<City {self.slug}>"
