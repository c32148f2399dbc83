"""City profiles: KPI values against targets, bands, gaps, suggestions, targets editing."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.cities import profiles
from app.cities.charts import category_score_chart, sector_gap_chart
from app.cities.forms import RemoveTargetForm, TargetForm
from app.core.errors import Conflict, InvalidInput
from app.core.numbers import YEAR
from app.core.params import arg_number, arg_text

bp = Blueprint("profiles", __name__)


@bp.before_request
@login_required
def require_login():
    return None


@bp.get("/cities/<int:city_id>")
def city(city_id: int):
    band = request.args.get("band", type=int)
    profile = profiles.city_profile(
        current_user,
        city_id,
        as_of=arg_number("year", YEAR),
        dimension=arg_text("dimension") or None,
        band=band if band in profiles.BAND_FILTERS else None,
    )
    return render_template(
        "cities/city.html",
        profile=profile,
        city=profile.city,
        sector_chart=sector_gap_chart(profile.sectors),
        category_chart=category_score_chart(profile.categories),
        band_filters=profiles.BAND_FILTERS,
    )


@bp.get("/cities/<int:city_id>/gaps")
def gaps(city_id: int):
    page = profiles.city_gap_list(current_user, city_id)
    return render_template("cities/gaps.html", page=page, city=page.city)


def _prefill(form: TargetForm, editor: profiles.TargetEditor) -> None:
    source = editor.own or (editor.published[-1] if editor.published else None)
    form.direction.data = (source.direction if source else editor.kpi.direction).value
    if editor.own is not None:
        form.value.data = editor.own.value
        form.target_year.data = editor.own.target_year
        form.source_title.data = editor.own.source_title
        form.source_url.data = editor.own.source_url
    form.stamp.data = editor.stamp


@bp.route("/cities/<int:city_id>/targets/<int:kpi_id>", methods=["GET", "POST"])
def edit_target(city_id: int, kpi_id: int):
    editor = profiles.target_editor(current_user, city_id, kpi_id)  # staff only: 403 first
    form = TargetForm()
    status = 200
    if form.is_submitted():
        if form.validate():
            try:
                profiles.set_city_target(
                    current_user, city_id, kpi_id, form.data, stamp=form.stamp.data
                )
            except Conflict as error:
                form.form_errors.append(error.message)
                status = 409
            except InvalidInput as error:
                form.form_errors.append(error.message)
                status = 400
            else:
                flash(f"The target of {editor.kpi.code} for {editor.city.name} was saved.")
                return redirect(url_for("profiles.city", city_id=city_id, _anchor=f"kpi-{kpi_id}"))
        else:
            status = 400
    else:
        _prefill(form, editor)
    remove = RemoveTargetForm(prefix="remove", stamp=editor.stamp) if editor.own else None
    return render_template(
        "cities/target.html", editor=editor, form=form, remove=remove, city=editor.city
    ), status


@bp.post("/cities/<int:city_id>/targets/<int:kpi_id>/remove")
def remove_target(city_id: int, kpi_id: int):
    form = RemoveTargetForm(prefix="remove")
    form.validate_on_submit()  # CSRF is checked for every POST before the view runs
    profiles.remove_city_target(current_user, city_id, kpi_id, stamp=form.stamp.data)
    flash("The city's own target was removed; the published target (if any) applies again.")
    return redirect(url_for("profiles.city", city_id=city_id, _anchor=f"kpi-{kpi_id}"))
