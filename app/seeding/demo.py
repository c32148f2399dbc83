"""The illustrative demo set: cities with drawn KPI values, partners, projects, accounts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from app.core.extensions import db
from app.models import (
    CashFlowLine,
    City,
    Country,
    DeliveryModel,
    Kpi,
    KpiValue,
    Partner,
    PartnerKind,
    Project,
    ProjectTemplate,
    RiskAppetite,
    Role,
    Sector,
    Stage,
    User,
)
from app.projects.flows import flow_lines, scale_template
from app.seeding import reader as r
from app.seeding.experts import load_experts
from app.seeding.programme import load_demo_programme
from app.seeding.reference import kpi_code, load_cities
from app.seeding.synthetic import (
    DEMO_YEAR,
    KpiRange,
    draw_value,
    income_group_of,
)
from app.seeding.upsert import Upserter

DEMO_ACCOUNTS = (
    ("staff@example.org", Role.STAFF, None),
    ("city@example.org", Role.CITY, "karmoy-no"),
    ("partner@example.org", Role.PARTNER, None),  # bound to the first demo partner
    ("expert@example.org", Role.EXPERT, "ingrid-solheim"),  # on the Karmøy engagement's team
)


def by_key(up: Upserter, model, field: str) -> dict:
    return {getattr(row, field): row for row in up.session.scalars(select(model))}


def load_demo(root: Path, up: Upserter, password: str | None) -> list[tuple[str, str]]:
    countries = by_key(up, Country, "iso2")
    cities = load_cities(root, up, countries, "demo/cities.csv", illustrative=True)
    load_demo_kpi_values(root, up, cities)
    partners = load_partners(root, up, countries)
    experts = load_experts(root, up)
    load_projects(root, up)
    member = load_demo_programme(up, experts)
    return load_accounts(up, partners, password, experts=experts, member=member)


def read_kpi_ranges(root: Path, kpis: dict[str, Kpi]) -> dict[tuple[str, str], KpiRange]:
    """Plausible value ranges per (KPI code, income group) from seeds/demo/kpi_ranges.csv."""
    ranges: dict[tuple[str, str], KpiRange] = {}
    file = "seeds/demo/kpi_ranges.csv"
    columns = {
        "kpi_code": kpi_code,
        "income_group": r.required_text,
        "low": r.required_number,
        "high": r.required_number,
        "unit": r.text,
    }
    known = r.Lookup("KPI code", kpis)
    for line, row in r.read_rows(root, "demo/kpi_ranges.csv", columns):
        known.get(row["kpi_code"], file, line, "kpi_code")
        if row["low"] > row["high"]:
            raise r.SeedError(file, line, "low", f"low {row['low']} exceeds high {row['high']}")
        ranges[(row["kpi_code"], row["income_group"])] = KpiRange(
            row["low"], row["high"], row["unit"]
        )
    return ranges


def drawn_value_row(city: City, slug: str, kpi: Kpi, span: KpiRange, group: str) -> dict:
    """The columns of one illustrative KPI value (shared by the demo and scale sets)."""
    return {
        "value": draw_value(slug, kpi.code, span, kpi.direction),
        "unit": kpi.unit,
        "source": "illustrative: drawn from seeds/demo/kpi_ranges.csv",
        "note": f"plausible range for {group}: {span.low:g} to {span.high:g}",
        "illustrative": True,
        "year_basis": "illustrative",
    }


def load_demo_kpi_values(root: Path, up: Upserter, cities: dict[str, City]) -> None:
    kpis = by_key(up, Kpi, "code")
    ranges = read_kpi_ranges(root, kpis)
    for slug, city in cities.items():
        group = income_group_of(city.country.income_group if city.country else None)
        for code, kpi in kpis.items():
            span = ranges.get((code, group))
            if span is None:
                continue
            up.upsert(
                KpiValue,
                {"city_id": city.id, "kpi_id": kpi.id, "data_point": "", "year": DEMO_YEAR},
                drawn_value_row(city, slug, kpi, span, group),
            )


def load_partners(root: Path, up: Upserter, countries: dict[str, Country]) -> dict:
    sectors = by_key(up, Sector, "slug")
    columns = {
        "slug": r.required_text,
        "name": r.required_text,
        "kind": r.one_of(*(k.value for k in PartnerKind)),
        "country_iso2": r.text,
        "sectors": r.items,
        "countries": r.items,
        "regions": r.items,
        "ticket_min": r.decimal,
        "ticket_max": r.decimal,
        "ticket_currency": r.one_of("EUR", "USD"),
        "risk_appetite": lambda v: RiskAppetite(v.strip()) if v.strip() else None,
        "capabilities": r.items,
        "instruments": r.items,
        "track_record_projects": r.integer,
        "track_record_note": r.text,
        "capacity": r.required_integer,
        "description": r.text,
    }
    file = "seeds/demo/partners.csv"
    known_sectors = r.Lookup("sector slug", sectors)
    known_countries = r.Lookup("country ISO code", countries)
    partners = {}
    for line, row in r.read_rows(root, "demo/partners.csv", columns):
        home = row["country_iso2"]
        partner = up.upsert(
            Partner,
            {"slug": row["slug"]},
            {
                "name": row["name"],
                "kind": PartnerKind(row["kind"]),
                "country_id": known_countries.get(home, file, line, "country_iso2").id
                if home
                else None,
                "regions": row["regions"],
                "ticket_min": row["ticket_min"],
                "ticket_max": row["ticket_max"],
                "ticket_currency": row["ticket_currency"],
                "risk_appetite": row["risk_appetite"],
                "capabilities": row["capabilities"],
                "instruments": row["instruments"],
                "track_record_projects": row["track_record_projects"],
                "track_record_note": row["track_record_note"],
                "capacity": row["capacity"],
                "description": row["description"],
                "illustrative": True,
            },
        )
        up.set_collection(
            partner,
            "sectors",
            [known_sectors.get(s, file, line, "sectors") for s in row["sectors"]],
        )
        up.set_collection(
            partner,
            "countries",
            [known_countries.get(c, file, line, "countries") for c in row["countries"]],
        )
        partners[row["slug"]] = partner
    up.session.flush()
    return partners


PROJECT_COLUMNS = {
    "slug": r.required_text,
    "city_slug": r.required_text,
    "template_slug": r.required_text,
    "title": r.required_text,
    "description": r.text,
    "scale_quantity": r.required_number,
    "stage": r.one_of(*(s.value for s in Stage)),
    "delivery_model": r.one_of(*(d.value for d in DeliveryModel)),
    "currency": r.one_of("EUR", "USD"),
    "price_base_year": r.required_integer,
    "start_year": r.required_integer,
    "horizon_years": r.required_integer,
    "annual_revenue": r.number,
    "annual_economic_benefit": r.number,
    "co2_tonnes_avoided_per_year": r.number,
    "labour_share_of_opex": r.number,
    "needed_capabilities": r.items,
    "instruments_sought": r.items,
    "risk_level": r.one_of("low", "medium", "high"),
    "kpi_codes": lambda v: [kpi_code(c) for c in r.items(v)],
    "local_conditions": r.items,
    "risks": r.items,
    "published": r.yes_no,
}


def load_projects(root: Path, up: Upserter) -> None:
    file = "seeds/demo/projects.csv"
    cities = r.Lookup("city slug", by_key(up, City, "slug"))
    templates = r.Lookup("template slug", by_key(up, ProjectTemplate, "slug"))
    kpis = r.Lookup("KPI code", by_key(up, Kpi, "code"))
    for line, row in r.read_rows(root, "demo/projects.csv", PROJECT_COLUMNS):
        city = cities.get(row["city_slug"], file, line, "city_slug")
        template = templates.get(row["template_slug"], file, line, "template_slug")
        if row["horizon_years"] < 2:
            raise r.SeedError(file, line, "horizon_years", "needs at least 2 years")
        try:
            solution = scale_template(
                template,
                row["scale_quantity"],
                currency=row["currency"],
                price_base_year=row["price_base_year"],
            )
        except ValueError as error:
            raise r.SeedError(file, line, "template_slug", str(error)) from None
        project = up.upsert(
            Project,
            {"slug": row["slug"]},
            {
                "city_id": city.id,
                "sector_id": template.sector_id,
                "template_id": template.id,
                "title": row["title"],
                "description": row["description"],
                "stage": Stage(row["stage"]),
                "delivery_model": DeliveryModel(row["delivery_model"]),
                "currency": row["currency"],
                "price_base_year": row["price_base_year"],
                "start_year": row["start_year"],
                "horizon_years": row["horizon_years"],
                "scale_quantity": row["scale_quantity"],
                "capex_total": Decimal(f"{solution.capex_total:.2f}"),
                "needed_capabilities": row["needed_capabilities"],
                "instruments_sought": row["instruments_sought"],
                "risk_level": row["risk_level"],
                "local_conditions": row["local_conditions"],
                "risks": row["risks"],
                "assumptions": {
                    "labour_share_of_opex": row["labour_share_of_opex"] or 0.0,
                    "cost_basis": solution.explanation,
                },
                "published": row["published"],
                "illustrative": True,
            },
        )
        up.set_collection(
            project, "kpis", [kpis.get(c, file, line, "kpi_codes") for c in row["kpi_codes"]]
        )
        up.session.flush()
        lines = flow_lines(
            solution,
            start_year=row["start_year"],
            horizon_years=row["horizon_years"],
            annual_revenue=row["annual_revenue"] or 0.0,
            annual_economic_benefit=row["annual_economic_benefit"] or 0.0,
            co2_tonnes_per_year=row["co2_tonnes_avoided_per_year"] or 0.0,
        )
        for year, kind, amount in lines:
            up.upsert(
                CashFlowLine,
                {"project_id": project.id, "year": year, "kind": kind},
                {"amount": Decimal(f"{amount:.2f}"), "note": "illustrative"},
            )


def load_accounts(
    up: Upserter, partners: dict, password: str | None, *, experts=None, member=None
) -> list[tuple[str, str]]:
    from werkzeug.security import check_password_hash, generate_password_hash

    from app.accounts.service import PASSWORD_METHOD

    if not password:
        return []
    cities = by_key(up, City, "slug")
    first_partner = partners[sorted(partners)[0]] if partners else None
    created = []
    for email, role, slug in DEMO_ACCOUNTS:
        binding = {"city_id": None, "partner_id": None, "expert_id": None}
        if role is Role.CITY:
            binding["city_id"] = cities[slug].id
            if member is not None:  # the committee votes per member: city@ is its first
                binding["committee_member_id"] = member.id
        if role is Role.EXPERT:
            expert = (experts or {}).get(slug)
            if expert is None:
                continue
            binding["expert_id"] = expert.id
        if role is Role.PARTNER:
            if first_partner is None:
                continue
            binding["partner_id"] = first_partner.id
        user = up.index(User, "email").get((email,))
        if user is not None and check_password_hash(user.password_hash, password):
            up.upsert(User, {"email": email}, {"role": role, **binding})
        else:
            digest = generate_password_hash(password, method=PASSWORD_METHOD)
            up.upsert(User, {"email": email}, {"role": role, "password_hash": digest, **binding})
        created.append((email, role.value))
    return created


def existing_demo_accounts() -> list[tuple[str, str]]:
    """(e-mail, what the account is for) of the demo accounts present in the database."""
    users = {
        user.email: user
        for user in db.session.scalars(
            select(User).where(User.email.in_([email for email, _, _ in DEMO_ACCOUNTS]))
        )
    }
    described = []
    for email, role, _ in DEMO_ACCOUNTS:
        user = users.get(email)
        if user is None:
            continue
        if role is Role.CITY and user.city:
            what = f"city committee of {user.city.name}"
            if user.committee_member:
                what += f" ({user.committee_member.name})"
        elif role is Role.PARTNER and user.partner:
            what = f"industry partner: {user.partner.name}"
        elif role is Role.EXPERT and user.expert:
            what = f"expert of the pool: {user.expert.name}"
        else:
            what = "programme staff"
        described.append((email, what))
    return described
