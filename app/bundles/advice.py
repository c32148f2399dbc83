"""What a bundle's page advises, in words with money: the changes that make an infeasible
bundle fit, what raising a budget adds, and why the frontier has one point.

Every change and gain here was confirmed by re-solving the 0-1 problem
(appraisal.bundling.whatif); the LP relaxation's duals are never shown as advice.
"""

from __future__ import annotations

import math

from app.bundles.inputs import MILLION, OptimiserInput, project_id_of, with_titles
from app.core.formatting import money
from appraisal.bundling.whatif import RaiseGain, Repair

__all__ = [
    "repair_lines",
    "raise_rows",
    "raise_advice",
    "frontier_note",
    "round_up",
    "score_text",
]


def round_up(amount: float) -> float:
    """Up to what the page can show (EUR 10 k above EUR 1 m, EUR 1 k below), so typing the
    shown amount is always enough.

    >>> round_up(4_912_345.0), round_up(512_300.0), round_up(11_000_000.011)
    (4920000.0, 513000.0, 11000000.0)
    """
    step = 1e4 if amount >= 1e6 else 1e3
    return math.ceil(round(amount / step, 4)) * step  # not up for a solver's hair


def score_text(value: float, unit: str) -> str:
    """A score with its unit: ``EUR 1.25 m of ENPV``, ``0.303 points of the weighted mix``.

    >>> score_text(1.25, "EUR m of ENPV"), score_text(0.30312, "gap-closure points")
    ('EUR 1.25 m of ENPV', '0.3031 gap-closure points')
    """
    if unit.endswith(" m of ENPV"):
        return f"{unit.split()[0]} {value:,.2f} m of ENPV"
    return f"{value:,.4g} {unit}"


def _names(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _drop_words(key: str, titles: dict[int, str]) -> str:
    kind, _, name = key.partition(":")
    if kind in ("must_include", "must_exclude"):
        box = "Must include" if kind == "must_include" else "Must exclude"
        return with_titles(f"untick {box} for {name}", titles)
    if kind == "sector_min":
        return f"lower or remove the minimum for sector {name.split(':')[0]}"
    if kind == "sector_max":
        return f"raise or remove the maximum for sector {name.split(':')[0]}"
    if kind == "requires":
        needer, needed = name.split(">")
        return with_titles(f"remove the pair “{needer} needs {needed}”", titles)
    if kind == "excludes":
        first, second = name.split("|")
        return with_titles(f"remove the pair “{first} excludes {second}”", titles)
    if kind == "group":
        return f"split the variant group {name}, or force fewer of its projects in"
    return f"relax {name}"


def repair_lines(
    repairs: list[Repair], inp: OptimiserInput, titles: dict[int, str], score_unit: str, money_of
) -> list[str]:
    """One sentence per confirmed repair: all its changes, and the bundle it then gives."""
    lines = []
    for repair in repairs:
        parts = []
        for name, amount in repair.raise_to.items():
            label = inp.limit_labels.get(name, name)
            now = inp.limits[name] * MILLION
            parts.append(
                f"raise the {label} from {money_of(now)} to {money_of(round_up(amount * MILLION))}"
            )
        parts += [_drop_words(key, titles) for key in repair.drop]
        chosen = [with_titles(c, titles) for c in repair.selected]
        then = f"{len(chosen)} project(s)" + (f": {', '.join(chosen)}" if chosen else "")
        sentence = _names(parts)
        lines.append(
            f"{sentence[0].upper()}{sentence[1:]}. Checked by re-solving: the best bundle then "
            f"has {then}, value {score_text(repair.objective, score_unit)}."
        )
    return lines


def raise_rows(raises: list[RaiseGain]) -> dict[str, dict]:
    """Per limit, the confirmed gain of +10 % (the limits table's column)."""
    out: dict[str, dict] = {}
    for r in raises:
        if math.isclose(r.step, 0.1 * (r.new_limit - r.step), rel_tol=1e-6):
            out[r.limit] = {"gain_10pct_int": r.gain}
    return out


def raise_advice(
    raises: list[RaiseGain],
    inp: OptimiserInput,
    titles: dict[int, str],
    score_unit: str,
    currency: str,
    price_base_year: int,
) -> list[str]:
    """What raising each budget adds, as the 0-1 problem re-solved with it says."""
    if not raises:
        return []
    lines = []
    for r in sorted(raises, key=lambda r: (-r.gain, r.step)):
        label = inp.limit_labels.get(r.limit, r.limit)
        step = money(r.step * MILLION, currency, price_base_year)
        to = money(r.new_limit * MILLION, currency)
        if r.gain <= 0:
            lines.append(f"Raising the {label} by {step} (to {to}) adds nothing.")
            continue
        added = [with_titles(c, titles) for c in r.added]
        dropped = [with_titles(c, titles) for c in r.dropped]
        how = f"brings in {_names(added)}" if added else "changes the selection"
        if dropped:
            how += f" in place of {_names(dropped)}"
        lines.append(
            f"Raising the {label} by {step} (to {to}) adds {score_text(r.gain, score_unit)}: it "
            f"{how}."
        )
    if not any(r.gain > 0 for r in raises):
        count = len({r.limit for r in raises})
        return [
            f"Raising any one of the {count} budgets by 10 % adds nothing: the bundle "
            "re-solved with each raised budget is the same."
        ]
    return lines


def frontier_note(inp: OptimiserInput, selected: list[str], currency: str) -> str:
    """Why the ENPV / gap-closure frontier has a single point, in words."""
    chosen = set(selected)
    blocked, other = [], []
    for cand in inp.candidates:
        if cand.id in chosen or inp.gap_scores.get(cand.id, 0.0) <= 0:
            continue
        title = with_titles(cand.id, {project_id_of(cand.id): inp.rows[cand.id].project.title})
        over = [
            f"{money(cost * MILLION, currency)} of the {inp.limit_labels.get(name, name)}, "
            f"which is {money(inp.limits[name] * MILLION, currency)}"
            for name, cost in cand.costs.items()
            if cost > inp.limits.get(name, math.inf) + 1e-9
        ]
        if over:
            blocked.append(f"{title} alone needs {_names(over)}")
        else:
            other.append(title)
    if not blocked and not other:
        return (
            "One bundle is best on both counts: no left-out candidate closes a KPI gap, so "
            "no bundle trades ENPV for gap closure."
        )
    words = "One bundle is best on both counts: every candidate that would add gap closure "
    words += "is out of reach under these limits. "
    if blocked:
        words += "; ".join(blocked) + ". "
    if other:
        words += (
            f"{_names(other)} cannot be added within the limits and rules together with a "
            "bundle that closes as much. "
        )
    return words + "Raise those budgets to see the trade-off."
