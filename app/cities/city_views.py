"""Adding a city (found in GeoNames or typed by hand) and editing its facts (staff)."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.cities import registry
from app.cities.forms import CityForm
from app.core.errors import InvalidInput, NotFound
from app.core.extensions import db
from app.core.numbers import db_id
from app.core.params import arg_text
from app.core.permissions import require_staff
from app.models import City, Country

bp = Blueprint("cities", __name__)


@bp.before_request
@login_required
def require_login():
    require_staff(current_user)


def _country_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(select(Country.iso2, Country.name).order_by(Country.name))
    return [("", "Choose a country")] + [(iso2, f"{name} ({iso2})") for iso2, name in rows]


def _render(form: CityForm, city: City | None, status: int = 200, **extra):
    return render_template("cities/form.html", form=form, city=city, **extra), status


@bp.route("/cities/new", methods=["GET", "POST"])
def new():
    form = CityForm()
    form.country.choices = _country_choices()
    q, country = arg_text("q"), arg_text("country", max_length=2).upper()
    matches = registry.search_geonames(q, country or None) if q else []
    if request.method == "GET":
        picked = registry.geoname(request.args.get("geonameid", type=db_id) or 0)
        if picked is not None:
            form.process(
                data=asdict(picked)
                | {"country": picked.country_iso2, "population_source": registry.GEONAMES_SOURCE}
            )
        return _render(form, None, q=q, country=country, matches=matches, picked=picked)
    if form.validate():
        try:
            city = registry.add_city(current_user, form.to_input())
        except InvalidInput as error:
            form.form_errors.append(error.message)
        else:
            flash(f"{city.name} added. Enter or import its KPI values next.", "success")
            return redirect(url_for("profiles.city", city_id=city.id))
    return _render(form, None, 400, q=q, country=country, matches=matches, picked=None)


@bp.route("/cities/<int:city_id>/edit", methods=["GET", "POST"])
def edit(city_id: int):
    city = db.session.get(City, city_id)
    if city is None:
        raise NotFound(f"There is no city {city_id}.")
    form = CityForm() if request.method == "POST" else CityForm(obj=city)
    form.country.choices = _country_choices()
    if request.method == "GET":
        form.country.data = city.country.iso2
        form.currency.data = city.currency or city.country.currency_code or ""
        return _render(form, city)
    if form.validate():
        try:
            registry.edit_city(current_user, city_id, form.to_input())
        except InvalidInput as error:
            form.form_errors.append(error.message)
        else:
            flash(f"{city.name} saved.", "success")
            return redirect(url_for("profiles.city", city_id=city_id))
    return _render(form, city, 400)
