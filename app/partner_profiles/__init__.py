"""Partners come in: self-registration, the staff review queue, partner pages and
profiles with capabilities from the controlled list (seeds/capabilities.csv)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the pages, the ``capability`` filter and the partners import on ``app``."""
    from app.imports import add_import_kind
    from app.partner_profiles import taxonomy, views
    from app.partner_profiles.importing import PARTNERS

    app.register_blueprint(views.bp)
    app.add_template_filter(taxonomy.label, "capability")
    add_import_kind(
        app,
        PARTNERS,
        "Import partners from a CSV/XLSX file, one per row (updated by slug or name). "
        "All or nothing: if any row is refused, nothing is written and the command fails.",
    )
