"""Partners as an import kind: one partner per row of a CSV or XLSX file.

A row names the partner (by ``slug``, else by its name) and what it offers; each
column is checked with its own reason. Imported partners are approved (staff
import them), and importing the same file again changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.audit import record
from app.core.errors import InvalidInput
from app.core.extensions import db
from app.core.fields import TextError, clean_text, fold
from app.core.numbers import COUNT, MONEY, NumberError, read_number
from app.imports.kinds import ImportKind
from app.imports.tables import (
    CellRefused,
    FileRefused,
    Preview,
    RawRow,
    Rejection,
    Table,
    read_table,
)
from app.models import (
    Country,
    DeliveryModel,
    Instrument,
    Partner,
    PartnerKind,
    PartnerStatus,
    RiskAppetite,
    Sector,
)
from app.partner_profiles.taxonomy import capabilities

__all__ = ["PARTNERS", "PartnerRow", "preview_partners"]

FIELDS = (
    "name",
    "kind",
    "country",
    "countries",
    "sectors",
    "capabilities",
    "capabilities_other",
    "instruments",
    "delivery_models",
    "ticket_min",
    "ticket_max",
    "ticket_currency",
    "risk_appetite",
    "capacity",
    "track_record_projects",
    "description",
    "website",
)

PARTNER_TABLE = Table(
    what="A file of partners",
    required=("name", "kind", "sectors"),
    optional=("slug", *(f for f in FIELDS if f not in ("name", "kind", "sectors"))),
    aliases={
        "organisation": "name",
        "partner": "name",
        "type": "kind",
        "sector": "sectors",
        "home_country": "country",
        "currency": "ticket_currency",
    },
    hint="lists (sectors, countries, capabilities, instruments) separated by ';'",
)
KIND_WORDS = {
    "technology company": PartnerKind.TECHNOLOGY_COMPANY,
    "technology firm": PartnerKind.TECHNOLOGY_COMPANY,
    "investor": PartnerKind.INTERNATIONAL_INVESTOR,
    "international investor": PartnerKind.INTERNATIONAL_INVESTOR,
    "pension fund": PartnerKind.INTERNATIONAL_INVESTOR,
    "bank": PartnerKind.FINANCIAL_INSTITUTION,
    "financial institution": PartnerKind.FINANCIAL_INSTITUTION,
    "local company": PartnerKind.LOCAL_COMPANY,
    "local firm": PartnerKind.LOCAL_COMPANY,
}


@dataclass(frozen=True)
class PartnerRow:
    line: int
    slug: str | None  # of the stored partner it updates, None for a new one
    values: dict  # FIELDS -> comparable values (lists sorted)


@dataclass(frozen=True)
class _Reference:
    sectors: dict[str, str]  # slug or folded name -> slug
    countries: dict[str, str]  # ISO2/ISO3/folded name -> ISO2
    capabilities: dict[str, str]  # slug or folded name -> slug
    by_slug: dict[str, Partner]
    by_name: dict[str, Partner]


def _reference() -> _Reference:
    sectors: dict[str, str] = {}
    for slug, name in db.session.execute(select(Sector.slug, Sector.name)):
        sectors[slug] = sectors[fold(name)] = slug
    countries: dict[str, str] = {}
    for iso2, iso3, name in db.session.execute(select(Country.iso2, Country.iso3, Country.name)):
        countries[iso2.casefold()] = countries[iso3.casefold()] = countries[fold(name)] = iso2
    caps = {}
    for c in capabilities().values():
        caps[c.slug] = caps[fold(c.name)] = c.slug
    partners = list(
        db.session.scalars(
            select(Partner).options(
                selectinload(Partner.sectors),
                selectinload(Partner.countries),
                selectinload(Partner.country),
            )
        )
    )
    return _Reference(
        sectors, countries, caps, {p.slug: p for p in partners}, {fold(p.name): p for p in partners}
    )


def _text(fields, name: str, max_length: int = 2000) -> str:
    try:
        return clean_text(fields.get(name), max_length=max_length)
    except TextError as error:
        raise CellRefused(name, str(error)) from None


def _items(fields, name: str, known: dict[str, str], what: str) -> list[str]:
    found, unknown = [], []
    for item in re.split(r"\s*[;,]\s*", _text(fields, name)):
        if not item:
            continue
        value = known.get(item) or known.get(item.casefold()) or known.get(fold(item))
        (found if value else unknown).append(value or item)
    if unknown:
        raise CellRefused(name, f"not {what}: {', '.join(unknown)}")
    return sorted(set(found))


def _number(fields, name: str, spec, *, whole: bool = False):
    try:
        number = read_number(_text(fields, name, 60), spec)
    except NumberError as error:
        raise CellRefused(name, str(error)) from None
    if number is None:
        return None
    return int(number) if whole else float(number)


def _values(fields, ref: _Reference) -> dict:
    name = _text(fields, "name", 200)
    if not name:
        raise CellRefused("name", "the name is empty")
    kind_text = _text(fields, "kind", 60)
    kind = KIND_WORDS.get(fold(kind_text).replace("_", " "))
    if kind is None:
        raise CellRefused(
            "kind",
            f"'{kind_text}' is not a kind of partner: write technology "
            "company, investor, bank or local company",
        )
    sectors = _items(fields, "sectors", ref.sectors, "sectors of the programme")
    if not sectors:
        raise CellRefused("sectors", "name at least one sector (slug or name, ';'-separated)")
    home = _items(fields, "country", ref.countries, "a country name or ISO code")
    low = _number(fields, "ticket_min", MONEY)
    high = _number(fields, "ticket_max", MONEY)
    if low is not None and high is not None and low > high:
        raise CellRefused("ticket_max", "smaller than ticket_min: swap them or correct one")
    currency = (_text(fields, "ticket_currency", 10) or "EUR").upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise CellRefused(
            "ticket_currency", f"'{currency}' is not an ISO currency code such as EUR"
        )
    risk = _text(fields, "risk_appetite", 20).casefold() or None
    if risk and risk not in {r.value for r in RiskAppetite}:
        raise CellRefused("risk_appetite", f"'{risk}' is not low, medium or high")
    instruments = {i.value: i.value for i in Instrument} | {"green bond": "green_bond"}
    models = {d.value: d.value for d in DeliveryModel}
    return {
        "name": name,
        "kind": kind.value,
        "country": home[0] if home else None,
        "countries": _items(fields, "countries", ref.countries, "country names or ISO codes"),
        "sectors": sectors,
        "capabilities": _items(
            fields, "capabilities", ref.capabilities, "capabilities of the list"
        ),
        "capabilities_other": _text(fields, "capabilities_other") or None,
        "instruments": _items(fields, "instruments", instruments, "financing instruments"),
        "delivery_models": _items(fields, "delivery_models", models, "delivery models"),
        "ticket_min": low,
        "ticket_max": high,
        "ticket_currency": currency,
        "risk_appetite": risk,
        "capacity": _number(fields, "capacity", COUNT, whole=True) or 3,
        "track_record_projects": _number(fields, "track_record_projects", COUNT, whole=True),
        "description": _text(fields, "description", 5000) or None,
        "website": _text(fields, "website", 300) or None,
    }


def stored_values(partner: Partner) -> dict:
    """A stored partner in the import's comparable form."""
    return {
        "name": partner.name,
        "kind": partner.kind.value,
        "country": partner.country.iso2 if partner.country else None,
        "countries": sorted(c.iso2 for c in partner.countries),
        "sectors": sorted(s.slug for s in partner.sectors),
        "capabilities": sorted(partner.capabilities or []),
        "capabilities_other": partner.capabilities_other,
        "instruments": sorted(partner.instruments or []),
        "delivery_models": sorted(partner.delivery_models or []),
        "ticket_min": None if partner.ticket_min is None else float(partner.ticket_min),
        "ticket_max": None if partner.ticket_max is None else float(partner.ticket_max),
        "ticket_currency": partner.ticket_currency,
        "risk_appetite": partner.risk_appetite.value if partner.risk_appetite else None,
        "capacity": partner.capacity,
        "track_record_projects": partner.track_record_projects,
        "description": partner.description,
        "website": partner.website,
    }


def preview_partners(filename: str, content: bytes) -> tuple[Preview, str]:
    try:
        file_format, rows = read_table(filename, content, PARTNER_TABLE)
        ref = _reference()
        preview, seen = Preview(), {}
        for row in rows:
            _classify(row, ref, preview, seen)
    except FileRefused as error:
        raise InvalidInput(str(error)) from None
    return preview, file_format


def _classify(row: RawRow, ref: _Reference, preview: Preview, seen: dict) -> None:
    summary = " · ".join(str(row.fields.get(k) or "") for k in ("name", "kind"))[:160]
    try:
        values = _values(row.fields, ref)
        slug = (row.fields.get("slug") or "").strip()
        stored = ref.by_slug.get(slug) if slug else ref.by_name.get(fold(values["name"]))
        if slug and stored is None and fold(values["name"]) in ref.by_name:
            raise CellRefused(
                "slug",
                f"'{slug}' is not a partner, but '{values['name']}' is: "
                "leave slug empty or give the stored one",
            )
    except CellRefused as refused:
        preview.rejected.append(Rejection(row.line, refused.column, refused.reason, summary))
        return
    identity = stored.slug if stored else fold(values["name"])
    if identity in seen:
        preview.rejected.append(
            Rejection(row.line, "name", f"a duplicate of row {seen[identity]}", summary)
        )
        return
    seen[identity] = row.line
    item = PartnerRow(row.line, stored.slug if stored else slug or None, values)
    if stored is None:
        preview.new.append(item)
        return
    before = stored_values(stored)
    if before == values:
        preview.unchanged.append(item)
    else:
        preview.changed.append((item, before))


def _digest(preview: Preview) -> str:
    lines = sorted(f"{r.slug}|{sorted(r.values.items())}" for r in preview.new)
    lines += sorted(f"{r.slug}|{sorted(r.values.items())}|{b}" for r, b in preview.changed)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _describe(values: dict) -> str:
    parts = [values["kind"].replace("_", " "), ", ".join(values["sectors"])]
    if values["capabilities"]:
        parts.append(f"{len(values['capabilities'])} capabilities")
    return "; ".join(parts)


def _summary(preview: Preview) -> dict:
    def changed_row(r: PartnerRow, before: dict) -> dict:
        diff = [k for k in FIELDS if before.get(k) != r.values.get(k)]
        return {
            "line": r.line,
            "what": r.values["name"],
            "before": "; ".join(f"{k}: {before.get(k)}" for k in diff),
            "after": "; ".join(f"{k}: {r.values.get(k)}" for k in diff),
            "source": None,
            "detail": "",
        }

    def plain(r: PartnerRow) -> dict:
        return {
            "line": r.line,
            "what": r.values["name"],
            "before": None,
            "after": _describe(r.values),
            "source": None,
            "detail": "",
        }

    return {
        "counts": preview.counts(),
        "subjects": [],
        "subject_label": "Partners",
        "rejected": [
            {"line": r.line, "column": r.column, "reason": r.reason, "row": r.row}
            for r in preview.rejected[:1000]
        ],
        "changed": [changed_row(r, b) for r, b in preview.changed[:500]],
        "new": [plain(r) for r in preview.new[:300]],
        "unchanged": [plain(r) for r in preview.unchanged[:100]],
    }


def _apply(preview: Preview, *, user_id, via: str, import_id=None) -> int:
    from app.partner_profiles.registry import PartnerInput, apply_input, new_slug

    written = 0
    for row, before in [(r, None) for r in preview.new] + list(preview.changed):
        values = row.values
        partner = (
            db.session.scalar(select(Partner).where(Partner.slug == row.slug)) if row.slug else None
        )
        if partner is None:
            partner = Partner(
                slug=row.slug or new_slug(values["name"]), status=PartnerStatus.APPROVED
            )
        with db.session.no_autoflush:
            apply_input(partner, PartnerInput(**values))
        db.session.add(partner)
        db.session.flush()
        record(
            "import" if before is None else "update",
            "partner",
            partner.id,
            {"via": via, "import_id": import_id},
            user_id=user_id,
        )
        written += 1
    return written


PARTNERS = ImportKind(
    name="partners",
    title="Partners (technology firms, investors, banks, local companies)",
    formats=(
        "one partner per row with the columns name, kind, sectors (and optionally slug, "
        "country, countries, capabilities, capabilities_other, instruments, delivery_models, "
        "ticket_min, ticket_max, ticket_currency, risk_appetite, capacity, "
        "track_record_projects, description, website); lists separated by ';'"
    ),
    preview=preview_partners,
    summary=_summary,
    digest=_digest,
    apply=_apply,
)
