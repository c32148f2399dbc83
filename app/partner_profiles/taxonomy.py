"""The controlled list of partner capabilities, per sector (seeds/capabilities.csv).

Partners choose their capabilities from it and projects their needs, so a match reads
the same words on both sides. Free text beside it is kept and shown, never scored.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.models import Instrument

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

__all__ = ["INSTRUMENT_LABELS", "Capability", "by_sector", "capabilities", "label", "unknown"]

INSTRUMENT_LABELS = {
    Instrument.LOAN: "Loans",
    Instrument.EQUITY: "Equity",
    Instrument.GUARANTEE: "Guarantees",
    Instrument.GRANT: "Grants",
    Instrument.GREEN_BOND: "Green bonds",
    Instrument.MEZZANINE: "Mezzanine finance",
}


@dataclass(frozen=True)
class Capability:
    slug: str
    kind: str  # technical, finance or delivery
    sector_slug: str  # "" for capabilities of every sector (delivery)
    name: str
    source: str


@cache
def capabilities() -> dict[str, Capability]:
    """Every capability by slug, in the file's order."""
    with (SEEDS / "capabilities.csv").open(encoding="utf-8") as handle:
        return {
            row["slug"]: Capability(
                row["slug"], row["kind"], row["sector_slug"], row["name"], row["source"]
            )
            for row in csv.DictReader(handle)
        }


def by_sector(sector_names: dict[str, str]) -> list[tuple[str, list[Capability]]]:
    """Capabilities grouped under their sector's name (``sector_names``: slug -> name),
    with the cross-sector ones last under "Every sector"."""
    groups: dict[str, list[Capability]] = {}
    for capability in capabilities().values():
        title = sector_names.get(capability.sector_slug, "Every sector")
        groups.setdefault(title, []).append(capability)
    order = list(sector_names.values()) + ["Every sector"]
    return sorted(groups.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)


def label(slug: str) -> str:
    """The capability's name, or the slug itself when it is not in the list."""
    found = capabilities().get(slug)
    return found.name if found else slug


def unknown(slugs: list[str]) -> list[str]:
    return [slug for slug in slugs if slug not in capabilities()]
