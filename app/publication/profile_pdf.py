"""The city PROFILE as a PDF: cover, scores, every KPI, gap charts, projects, the
latest approved bundle and every source, numbered.

Read-only, and built from the other features' services so the PDF says what their
pages say: the profile (and who may see it) from :mod:`app.cities.profiles`, its
charts from :mod:`app.cities.charts`, appraisal verdicts from
:func:`app.appraisals.service.latest_summaries`, the bundle from
:mod:`app.bundles.service` and :mod:`app.bundles.pages`. The HTML made for print
(templates/publication/profile_pdf.html) becomes a PDF in
:mod:`app.publication.rendering`, which fetches nothing but the app's static files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, render_template
from markupsafe import Markup

from app.appraisals.service import latest_summaries
from app.bundles.pages import bundle_page
from app.bundles.service import latest_approved_bundle
from app.cities.charts import category_score_chart, sector_gap_chart
from app.cities.profiles import CityProfile, city_profile
from app.models import Project, User
from app.publication.pdf_cache import PdfCache, cache_key
from app.publication.rendering import compact_html, html_to_pdf
from app.publication.sources import Source, SourceList

__all__ = [
    "TEMPLATE",
    "BundleSection",
    "ProfileDocument",
    "ProjectLine",
    "profile_document",
    "profile_filename",
    "profile_html",
    "profile_pdf",
    "profile_pdf_cache",
]

TEMPLATE = "publication/profile_pdf.html"
STYLESHEET = "profile_pdf.css"  # in app/static, linked by the template
#: Attributions of the reference data every profile rests on (README, "Data and attribution").
REFERENCE_SOURCES = (
    ("U4SSC key performance indicators for smart sustainable cities (ITU-T Y.4903)",
     "https://www.itu.int/rec/T-REC-Y.4903", "KPI definitions, U4SSC bands"),
    ("GeoNames (CC BY 4.0)", "https://www.geonames.org/", "city locations"),
    ("World Bank country and lending groups, FY2024 (CC BY 4.0)",
     "https://datahelpdesk.worldbank.org/knowledgebase/articles/906519",
     "income group and region"),
)  # fmt: skip


@dataclass(frozen=True)
class ProjectLine:
    """A project as listed, with its newest appraisal run's summary (None: not appraised)."""

    project: Project
    summary: dict | None


@dataclass(frozen=True)
class BundleSection:
    """The latest approved bundle: its chosen projects with their latest verdicts."""

    page: dict  # app.bundles.pages.bundle_page
    selection: list[dict]  # its "selection" rows, each with "summary" added
    approval: object | None  # the approving review (app.bundles.reviews.ReviewEntry)


@dataclass(frozen=True)
class ProfileDocument:
    """Everything the printed profile shows, filtered for the viewer."""

    profile: CityProfile
    made_at: datetime  # UTC
    groups: list[tuple[str, list[tuple[str, list[dict]]]]]  # rows with source numbers
    sources: list[Source]
    population_ref: int | None
    city_ref: int | None
    projects: list[ProjectLine]
    bundle: BundleSection | None
    category_chart: Markup | None
    sector_chart: Markup | None
    kpi_count: int
    illustrative_values: int  # KPIs whose value (or a data point) is illustrative
    filename: str

    @property
    def made_at_iso(self) -> str:
        """When it was made, for the document's metadata: ``2026-12-07T05:30:00+00:00``."""
        return self.made_at.isoformat(timespec="seconds")

    @property
    def made_at_label(self) -> str:
        """When it was made, as the cover prints it: ``7 December 2026, 05:30 UTC``."""
        return f"{self.made_at.day} {self.made_at:%B %Y, %H:%M} UTC"

    @property
    def has_illustrative(self) -> bool:
        """Whether anything printed is illustrative (then the document says what that means)."""
        return bool(
            self.illustrative_values
            or self.profile.city.illustrative
            or any(source.illustrative for source in self.sources)
            or any(line.project.illustrative for line in self.projects)
            or (self.bundle and any(row["illustrative"] for row in self.bundle.selection))
        )


def profile_filename(slug: str, made_at: datetime, as_of: int | None = None) -> str:
    """``profile-karmoy-no-2026-12-07.pdf`` (with ``-as-of-2020`` for an earlier year).

    >>> profile_filename("karmoy-no", datetime(2026, 12, 7, tzinfo=UTC))
    'profile-karmoy-no-2026-12-07.pdf'
    >>> profile_filename("Bad/../Slug", datetime(2026, 1, 2, tzinfo=UTC), 2020)
    'profile-bad-slug-as-of-2020-2026-01-02.pdf'
    """
    safe = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "city"
    year = f"-as-of-{as_of}" if as_of else ""
    return f"profile-{safe}{year}-{made_at:%Y-%m-%d}.pdf"


def _cited_rows(profile: CityProfile, sources: SourceList):
    """The profile's KPI rows with the numbers of their value, point and target sources."""
    groups = []
    for dimension, categories in profile.groups:
        cited = []
        for category, rows in categories:
            out = []
            for row in rows:
                code = row["code"]
                value_ref = None
                if row["value"] is not None:
                    value_ref = sources.cite(
                        row["value_source"], illustrative=row["illustrative"], used_for=code
                    )
                points = [
                    point
                    | {
                        "ref": sources.cite(
                            point["source"], illustrative=point["illustrative"], used_for=code
                        )
                    }
                    for point in row["data_points"]
                ]
                target_ref = None
                if row["target"] is not None:
                    target_ref = sources.cite(
                        row["target_source"], url=row["target_source_url"], used_for=code
                    )
                out.append(
                    row | {"value_ref": value_ref, "target_ref": target_ref, "points": points}
                )
            cited.append((category, out))
        groups.append((dimension, cited))
    return groups


def _bundle(user: User, city_id: int) -> BundleSection | None:
    bundle = latest_approved_bundle(user, city_id)
    if bundle is None:
        return None
    page = bundle_page(user, bundle.id)
    summaries = latest_summaries([row["project_id"] for row in page["selection"]])
    selection = [row | {"summary": summaries.get(row["project_id"])} for row in page["selection"]]
    approval = next((r for r in page["reviews"] if r.decision == "approved"), None)
    return BundleSection(page=page, selection=selection, approval=approval)


def profile_document(
    user: User, city_id: int, *, as_of: int | None = None, now: datetime | None = None
) -> ProfileDocument:
    """What the printed profile of a city shows to ``user`` (the profile page's rules)."""
    profile = city_profile(user, city_id, as_of=as_of)  # 403/404 before any other work
    city = profile.city
    made_at = (now or datetime.now(UTC)).astimezone(UTC)
    sources = SourceList()
    population_ref = sources.cite(city.population_source, used_for="population")
    city_ref = sources.cite(city.source, illustrative=city.illustrative, used_for="city facts")
    groups = _cited_rows(profile, sources)
    for text, url, used_for in REFERENCE_SOURCES:
        sources.cite(text, url=url, used_for=used_for)
    summaries = latest_summaries([p.id for p in profile.projects])
    rows = [row for _, categories in groups for _, cat_rows in categories for row in cat_rows]
    return ProfileDocument(
        profile=profile,
        made_at=made_at,
        groups=groups,
        sources=sources.listed(),
        population_ref=population_ref,
        city_ref=city_ref,
        projects=[ProjectLine(p, summaries.get(p.id)) for p in profile.projects],
        bundle=_bundle(user, city_id),
        category_chart=category_score_chart(profile.categories),
        sector_chart=sector_gap_chart(profile.sectors),
        kpi_count=len(rows),
        illustrative_values=sum(
            1
            for row in rows
            if (row["value"] is not None and row["illustrative"])
            or any(p["illustrative"] for p in row["points"])
        ),
        filename=profile_filename(city.slug, made_at, profile.as_of),
    )


def profile_html(document: ProfileDocument) -> str:
    """The HTML the PDF is made from (whitespace between blocks taken out)."""
    return compact_html(render_template(TEMPLATE, doc=document, city=document.profile.city))


def profile_pdf_cache() -> PdfCache:
    """The cache of made profiles configured for the app (PDF_CACHE_DIR, PDF_CACHE_FILES)."""
    config = current_app.config
    folder = config.get("PDF_CACHE_DIR") or Path(current_app.instance_path) / "pdf-cache"
    return PdfCache(folder, config.get("PDF_CACHE_FILES", 0))


def profile_pdf(
    user: User, city_id: int, *, as_of: int | None = None, now: datetime | None = None
) -> tuple[bytes, str]:
    """The PDF of a city's profile as ``user`` may see it, and its file name.

    A profile made before from the same HTML (same figures, same viewer's rights) comes
    from :func:`profile_pdf_cache` as it was made then; any change makes it again.
    """
    document = profile_document(user, city_id, as_of=as_of, now=now)
    html = profile_html(document)
    static = Path(current_app.static_folder)
    cache = profile_pdf_cache()
    key = None
    if cache.enabled:
        key = cache_key(
            html,
            stylesheet=(static / STYLESHEET).read_bytes(),
            leave_out=(document.made_at_iso, document.made_at_label),
        )
        pdf = cache.get(key)
        if pdf is not None:
            return pdf, document.filename
    pdf = html_to_pdf(html, static)
    if key is not None:
        cache.put(key, pdf)
    return pdf, document.filename
