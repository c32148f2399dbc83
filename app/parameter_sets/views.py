"""Parameter set pages: the list with every value and source, copy, edit (a new version
each save), and a city's default set."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.errors import Conflict, InvalidInput, NotFound
from app.parameter_sets import service
from app.parameter_sets.forms import VALUE_LABELS, CitySetForm, SetForm
from app.parameter_sets.registry import default_set_for

bp = Blueprint("parameter_sets", __name__)


@bp.before_request
@login_required
def require_login():
    return None


@bp.get("/parameter-sets")
def index():
    return render_template(
        "parameter_sets/list.html", sets=service.list_sets(), labels=VALUE_LABELS
    )


def _form_page(form: SetForm, base, *, copying: bool, status: int = 200):
    return (
        render_template("parameter_sets/edit.html", form=form, base=base, copying=copying),
        status,
    )


def _arg(name: str) -> str:
    value = (request.args.get(name) or "").strip()
    if not value:
        raise NotFound(f"Say which parameter set: the address needs ?{name}=...")
    return value


@bp.route("/parameter-sets/copy", methods=["GET", "POST"])
def copy():
    name, version = _arg("from"), request.args.get("version") or None
    base = service.set_for_editing(current_user, name, version)
    form = SetForm()
    if not form.is_submitted():
        form.fill(base)
        form.name.data = f"{base.name} (copy)"[:60]
        return _form_page(form, base, copying=True)
    if not form.validate():
        return _form_page(form, base, copying=True, status=400)
    try:
        row = service.copy_set(current_user, name, version, form.name.data or "", form.edit())
    except service.SetRefused as refused:
        form.put_errors(refused.fields)
        return _form_page(form, base, copying=True, status=refused.status)
    flash(f"Saved {row.name} (version {row.version}).")
    return redirect(url_for("parameter_sets.index") + f"#set-{row.id}")


@bp.route("/parameter-sets/edit", methods=["GET", "POST"])
def edit():
    name = _arg("name")
    base = service.set_for_editing(current_user, name)
    form = SetForm()
    if not form.is_submitted():
        form.fill(base)
        form.version.data = base.version
        return _form_page(form, base, copying=False)
    if not form.validate():
        return _form_page(form, base, copying=False, status=400)
    try:
        opened = int(form.version.data) if (form.version.data or "").isdigit() else None
        row = service.save_version(current_user, name, opened, form.edit())
    except service.SetRefused as refused:
        form.put_errors(refused.fields)
        return _form_page(form, base, copying=False, status=refused.status)
    except (Conflict, InvalidInput) as error:
        form.form_errors.append(error.message)
        return _form_page(form, base, copying=False, status=error.status)
    flash(f"Saved {row.name} (version {row.version}).")
    return redirect(url_for("parameter_sets.index") + f"#set-{row.id}")


@bp.route("/cities/<int:city_id>/parameter-set", methods=["GET", "POST"])
def city_set(city_id: int):
    context = service.city_set_context(current_user, city_id)
    form = CitySetForm()
    form.offer(context["choices"], context["country_set"])
    if not form.is_submitted():
        form.parameter_set.data = context["own"] or ""
    elif form.validate():
        try:
            city = service.set_city_parameter_set(current_user, city_id, form.parameter_set.data)
        except service.SetRefused as refused:
            form.parameter_set.errors = [refused.fields["parameter_set"]]
        else:
            flash(f"{city.name} now appraises with {default_set_for(city)} by default.")
            return redirect(url_for("profiles.city", city_id=city_id))
    status = 400 if form.is_submitted() else 200
    return render_template("parameter_sets/city.html", form=form, **context), status
