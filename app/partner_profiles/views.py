"""Partner pages: registration (public), the staff review queue, a partner's page and
its editing."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core.errors import Conflict, InvalidInput
from app.core.extensions import db, limiter
from app.core.fields import choices
from app.models import Country, Interest, Partner, PartnerStatus, Project, Role, Sector
from app.partner_profiles import registry, taxonomy
from app.partner_profiles.forms import PartnerProfileForm, RegistrationForm, ReviewForm

bp = Blueprint("partner_profiles", __name__)


def _sectors() -> dict[str, str]:
    return dict(
        db.session.execute(select(Sector.slug, Sector.name).order_by(Sector.position)).all()
    )


def _choices(form: PartnerProfileForm) -> dict[str, str]:
    sectors = _sectors()
    countries = db.session.execute(select(Country.iso2, Country.name).order_by(Country.name))
    form.country.choices = choices([("", "Not stated")] + [(c, f"{n} ({c})") for c, n in countries])
    form.sectors.choices = choices(sectors.items())
    form.capabilities.choices = choices((c.slug, c.name) for c in taxonomy.capabilities().values())
    return sectors


def _input(form: PartnerProfileForm) -> registry.PartnerInput:
    return registry.PartnerInput(
        name=form.name.data or "",
        kind=form.kind.data or "",
        sectors=form.sectors.data or [],
        country=form.country.data or None,
        countries=registry.parse_countries(form.countries.data),
        capabilities=form.capabilities.data or [],
        capabilities_other=form.capabilities_other.data or None,
        delivery_models=form.delivery_models.data or [],
        instruments=form.instruments.data or [],
        ticket_min=form.ticket_min.data,
        ticket_max=form.ticket_max.data,
        ticket_currency=form.ticket_currency.data or "",
        risk_appetite=form.risk_appetite.data or None,
        capacity=form.capacity.data or 1,
        track_record_projects=form.track_record_projects.data,
        description=form.description.data or None,
        website=form.website.data or None,
    )


def _render(template: str, form, status: int = 200, **extra):
    groups = taxonomy.by_sector(extra.pop("sectors", None) or _sectors())
    return render_template(template, form=form, groups=groups, **extra), status


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def register():
    if current_user.is_authenticated:
        flash("You are signed in already: a new partner registers signed out.")
        return redirect(url_for("dashboard.index"))
    form = RegistrationForm()
    sectors = _choices(form)
    if not form.is_submitted():
        return _render("partner_profiles/register.html", form, sectors=sectors)
    if not form.validate():
        return _render("partner_profiles/register.html", form, 400, sectors=sectors)
    try:
        registry.register_partner(
            _input(form),
            email=form.email.data,
            password=form.password.data,
            contact_name=form.contact_name.data or "",
        )
    except InvalidInput as error:
        form.form_errors.append(error.message)
        return _render("partner_profiles/register.html", form, 400, sectors=sectors)
    return render_template("partner_profiles/registered.html", name=form.name.data)


@bp.get("/partners/applications")
@login_required
def applications():
    partners = registry.applications(current_user)
    return render_template(
        "partner_profiles/applications.html",
        partners=partners,
        form=ReviewForm(),
        label=taxonomy.label,
    )


@bp.post("/partners/<int:partner_id>/review")
@login_required
def review(partner_id: int):
    form = ReviewForm()
    if form.validate():
        try:
            partner = registry.review_partner(
                current_user, partner_id, form.decision.data, form.reason.data
            )
        except InvalidInput as error:
            flash(error.message, "error")
        else:
            flash(f"{partner.name}: {partner.status.value}.")
    else:
        flash("The decision could not be read: choose approve or refuse.", "error")
    return redirect(url_for("partner_profiles.applications"))


def _interests(partner: Partner) -> list[Interest]:
    query = (
        select(Interest)
        .join(Project, Project.id == Interest.project_id)
        .where(Interest.partner_id == partner.id)
        .order_by(Interest.created_at.desc())
    )
    if current_user.role is not Role.STAFF and current_user.partner_id != partner.id:
        query = query.where(Project.published.is_(True))
    return list(db.session.scalars(query))


@bp.get("/partners/<int:partner_id>")
@login_required
def show(partner_id: int):
    partner = registry.partner_for(current_user, partner_id)
    own = current_user.role is Role.PARTNER and current_user.partner_id == partner.id
    return render_template(
        "partner_profiles/partner.html",
        partner=partner,
        interests=_interests(partner),
        label=taxonomy.label,
        full=own or current_user.role is Role.STAFF,
        own=own,
        approved=partner.status is PartnerStatus.APPROVED,
    )


def _prefill(form: PartnerProfileForm, partner: Partner) -> None:
    form.name.data = partner.name
    form.kind.data = partner.kind.value
    form.country.data = partner.country.iso2 if partner.country else ""
    form.countries.data = ", ".join(c.iso2 for c in partner.countries)
    form.sectors.data = [s.slug for s in partner.sectors]
    form.capabilities.data = list(partner.capabilities or [])
    form.capabilities_other.data = partner.capabilities_other
    form.delivery_models.data = list(partner.delivery_models or [])
    form.instruments.data = list(partner.instruments or [])
    form.ticket_min.data = partner.ticket_min
    form.ticket_max.data = partner.ticket_max
    form.ticket_currency.data = partner.ticket_currency
    form.risk_appetite.data = partner.risk_appetite.value if partner.risk_appetite else ""
    form.capacity.data = partner.capacity
    form.track_record_projects.data = partner.track_record_projects
    form.description.data = partner.description
    form.website.data = partner.website
    form.version.data = str(partner.version)


@bp.route("/partners/<int:partner_id>/edit", methods=["GET", "POST"])
@login_required
def edit(partner_id: int):
    partner = registry.partner_for(current_user, partner_id, editing=True)
    form = PartnerProfileForm()
    sectors = _choices(form)
    template = "partner_profiles/edit.html"
    if not form.is_submitted():
        _prefill(form, partner)
        return _render(template, form, sectors=sectors, partner=partner)
    if not form.validate():
        return _render(template, form, 400, sectors=sectors, partner=partner)
    try:
        version = int(form.version.data or "0")
        registry.edit_partner(current_user, partner_id, _input(form), version=version)
    except (InvalidInput, Conflict) as error:
        form.form_errors.append(error.message)
        db.session.rollback()
        return _render(template, form, error.status, sectors=sectors, partner=partner)
    flash("The profile was saved.")
    return redirect(url_for("partner_profiles.show", partner_id=partner_id))
