"""The project form: what staff enter to formulate or edit a project.

Percentages are entered as percentages (35 means 35 %) and become decimals in
``ProjectForm.to_input``, the boundary to the services.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    SubmitField,
)
from wtforms.validators import DataRequired, ValidationError

from app.core.concurrency import creation_key, new_creation_key
from app.core.fields import CheckboxesField, LongTextField, NumberField, Required, TextField
from app.core.numbers import MONEY
from app.models import DeliveryModel, PriceBasis
from app.partner_profiles.taxonomy import INSTRUMENT_LABELS, capabilities
from app.partner_profiles.taxonomy import unknown as unknown_capabilities
from app.projects.choices import FormOptions
from app.projects.reporting import currency_choices
from app.projects.service import ProjectInput

__all__ = ["ProjectForm"]

DELIVERY_LABELS = {
    DeliveryModel.PUBLIC: "Public (conventional procurement)",
    DeliveryModel.PPP_AVAILABILITY: "PPP with availability payments",
    DeliveryModel.PPP_CONCESSION: "PPP user-fee concession",
}
PRICE_BASIS_LABELS = {
    PriceBasis.REAL: "Real (constant prices of the base year)",
    PriceBasis.NOMINAL: "Nominal (current prices of each year)",
}


def _choices(pairs, *, optgroup: str | None = None) -> list[SelectChoice]:
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


def lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ProjectForm(FlaskForm):
    city_id = SelectField("City", coerce=int, invalid_choice_message="Choose a city of the list.")
    sector_id = SelectField(
        "Sector", coerce=int, invalid_choice_message="Choose a sector of the list."
    )
    template_id = SelectField(
        "Catalogue solution (optional)",
        coerce=lambda v: int(v) if v not in (None, "", "None") else None,
        invalid_choice_message="Choose a catalogue solution of the list, or none.",
    )
    scale_quantity = NumberField("Quantity of the solution's unit", spec=MONEY, example="12.5")
    title = TextField("Title", validators=[DataRequired("Give the project a title.")])
    description = LongTextField("Description")
    kpi_ids = SelectMultipleField(
        "KPIs addressed",
        coerce=int,
        invalid_choice_message="Choose KPIs of the list only.",
    )
    delivery_model = SelectField(
        "Delivery model", choices=[SelectChoice(d.value, DELIVERY_LABELS[d]) for d in DeliveryModel]
    )
    currency = SelectField(
        "Currency (default: the city's)",
        choices=lambda: [SelectChoice(code, label) for code, label in currency_choices()],
        invalid_choice_message=(
            "Choose a currency of the list: those are the ones with prices and exchange rates."
        ),
    )
    price_base_year = NumberField(
        "Price base year",
        [Required("Enter the year whose prices the amounts are in, e.g. 2024.")],
        low=1999,
        high=2100,
        whole=True,
        example="2024",
    )
    price_basis = SelectField(
        "Real or nominal prices",
        choices=[SelectChoice(p.value, PRICE_BASIS_LABELS[p]) for p in PriceBasis],
    )
    start_year = NumberField(
        "Start year (year 0 of the cash flows)",
        [Required("Enter the year the project starts, e.g. 2027.")],
        low=2000,
        high=2100,
        whole=True,
        example="2027",
    )
    horizon_years = NumberField(
        "Horizon (years, construction included)",
        [Required("Enter the reference period in years, e.g. 20.")],
        low=2,
        high=60,
        whole=True,
    )
    needed_capabilities = CheckboxesField(
        "Capabilities needed (from the programme's list; partners choose from the same list)"
    )
    needs_other = LongTextField("Other needs, in your own words (shown, not scored)")
    instruments_sought = CheckboxesField(
        "Financing sought", choices=_choices((k.value, v) for k, v in INSTRUMENT_LABELS.items())
    )
    risk_level = SelectField(
        "Risk level", choices=[SelectChoice(v, v.capitalize()) for v in ("low", "medium", "high")]
    )
    local_conditions = LongTextField(
        "Local conditions needed: policy changes, incentives, tax (one per line)"
    )
    risks = LongTextField("Risks (one per line)")
    annual_revenue = NumberField("Annual revenue while operating", spec=MONEY)
    annual_economic_benefit = NumberField("Annual economic benefit while operating", spec=MONEY)
    co2_tonnes_per_year = NumberField("CO2 avoided (tonnes a year)", low=0)
    labour_share_pct = NumberField("Labour share of opex (%)", low=0, high=100, example="35")
    rebuild_flows = BooleanField(
        "Rebuild the cash-flow table from the catalogue solution and these inputs"
    )
    version = HiddenField()
    creation_key = HiddenField(default=new_creation_key)
    submit = SubmitField("Save project")

    def bind(self, options: FormOptions) -> ProjectForm:
        """Set the choices the database offers (cities, sectors, solutions, KPIs)."""
        self.city_id.choices = _choices([(0, "Choose a city"), *options.cities])
        self.sector_id.choices = _choices([(0, "Choose a sector"), *options.sectors])
        self.template_id.choices = _choices([("", "None: I will enter the cash flows")]) + [
            choice
            for group, pairs in options.templates.items()
            for choice in _choices(pairs, optgroup=group)
        ]
        self.kpi_ids.choices = _choices(pair for pairs in options.kpis.values() for pair in pairs)
        self.kpi_groups = options.kpis
        self.needed_capabilities.choices = _choices(
            (c.slug, c.name) for c in capabilities().values()
        )
        return self

    def validate_city_id(self, field):
        if not field.data:
            raise ValidationError("Choose the city the project is for.")

    def validate_sector_id(self, field):
        if not field.data:
            raise ValidationError("Choose the project's sector.")

    def validate_scale_quantity(self, field):
        if field.errors:
            return
        if self.template_id.data and not field.number:
            raise ValidationError(
                "Enter how many units of the catalogue solution the project needs (above 0)."
            )

    def to_input(self) -> ProjectInput:
        """The typed values as service input; the labour share becomes a decimal."""
        share = self.labour_share_pct.number_or()
        return ProjectInput(
            city_id=self.city_id.data,
            sector_id=self.sector_id.data,
            template_id=self.template_id.data,
            scale_quantity=float(self.scale_quantity.number_or())
            if self.template_id.data
            else None,
            title=self.title.data.strip(),
            description=(self.description.data or "").strip() or None,
            kpi_ids=list(self.kpi_ids.data or []),
            delivery_model=DeliveryModel(self.delivery_model.data),
            currency=self.currency.data,
            price_base_year=int(self.price_base_year.number_or()),
            price_basis=PriceBasis(self.price_basis.data),
            start_year=int(self.start_year.number_or()),
            horizon_years=int(self.horizon_years.number_or()),
            needed_capabilities=list(self.needed_capabilities.data or []),
            needs_other=(self.needs_other.data or "").strip() or None,
            instruments_sought=list(self.instruments_sought.data or []),
            risk_level=self.risk_level.data,
            local_conditions=lines(self.local_conditions.data),
            risks=lines(self.risks.data),
            annual_revenue=float(self.annual_revenue.number_or(0)),
            annual_economic_benefit=float(self.annual_economic_benefit.number_or(0)),
            co2_tonnes_per_year=float(self.co2_tonnes_per_year.number_or(0)),
            labour_share_of_opex=None if share is None else float(share) / 100,
            creation_key=creation_key(self.creation_key.data),
        )


def form_data(project) -> dict:
    """The form's values for an existing project (the edit page and the API's PATCH)."""
    inputs = project.assumptions or {}
    share = inputs.get("labour_share_of_opex")
    known = capabilities()
    return {
        "city_id": project.city_id,
        "sector_id": project.sector_id,
        "template_id": project.template_id,
        "scale_quantity": project.scale_quantity,
        "title": project.title,
        "description": project.description,
        "kpi_ids": [k.id for k in project.kpis],
        "delivery_model": project.delivery_model.value,
        "currency": project.currency,
        "price_base_year": project.price_base_year,
        "price_basis": project.price_basis.value,
        "start_year": project.start_year,
        "horizon_years": project.horizon_years,
        # needs typed before the list existed move to the free text, so none is lost
        "needed_capabilities": [c for c in project.needed_capabilities or [] if c in known],
        "needs_other": "\n".join(
            [project.needs_other or ""] + unknown_capabilities(project.needed_capabilities or [])
        ).strip(),
        "instruments_sought": list(project.instruments_sought or []),
        "risk_level": project.risk_level,
        "local_conditions": "\n".join(project.local_conditions or []),
        "risks": "\n".join(project.risks or []),
        "annual_revenue": inputs.get("annual_revenue"),
        "annual_economic_benefit": inputs.get("annual_economic_benefit"),
        "co2_tonnes_per_year": inputs.get("co2_tonnes_per_year"),
        "labour_share_pct": None if share is None else round(float(share) * 100, 6),
        "version": project.version,
    }
