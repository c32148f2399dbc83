"""Template filters: every figure shown with its unit, currency and price base."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlsplit

from flask import Flask
from markupsafe import Markup, escape

_ADDRESS = re.compile(r"https?://[^\s<>\"]+")


def money(amount, currency: str = "EUR", price_base: int | str | None = None) -> str:
    """``EUR 1.25 m (2024 prices)``: scaled, with currency and price base.

    >>> money(1_250_000, "EUR", 2024)
    'EUR 1.25 m (2024 prices)'
    >>> money(None, "USD")
    'n/a'
    """
    if amount is None:
        return "n/a"
    value = float(amount) if isinstance(amount, Decimal) else amount
    if isinstance(value, float) and not math.isfinite(value):
        return "n/a"
    size = abs(value)
    if size >= 1e9:
        text = f"{value / 1e9:,.2f} bn"
    elif size >= 1e6:
        text = f"{value / 1e6:,.2f} m"
    elif size >= 1e4:
        text = f"{value / 1e3:,.0f} k"
    else:
        text = f"{value:,.0f}"
    base = f" ({price_base} prices)" if price_base else ""
    return f"{currency} {text}{base}"


def number(value, unit: str | None = None, digits: int = 2) -> str:
    """A number with its unit, or 'n/a'.

    >>> number(97.0, "%")
    '97 %'
    >>> number(95424, "per 100 000 inhabitants")
    '95,424 per 100 000 inhabitants'
    """
    if value is None:
        return "n/a"
    value = float(value)
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.{digits}f}"
    return f"{text} {unit}" if unit else text


def percent(rate, digits: int = 1) -> str:
    """A decimal rate as a percentage.

    >>> percent(0.0425)
    '4.3 %'
    >>> percent(float("inf"))
    'n/a'
    """
    if rate is None or not math.isfinite(float(rate)):
        return "n/a"
    # Through the decimal text of the rate, so 0.0425 shows as 4.3 %, not 4.2 % (the
    # binary float of 0.0425 * 100 lies just below 4.25).
    shown = (Decimal(repr(float(rate))) * 100).quantize(
        Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP
    )
    return f"{shown} %"


def source_link(text: str | None, title: str | None = None, *, empty: str = "not stated") -> Markup:
    """A source as people can use it: a real web address becomes a link named by the
    document (``title``) or its site and path; anything else is plain text.

    >>> str(source_link("https://itu.int/en/x/page14.html"))
    '<a href="https://itu.int/en/x/page14.html" rel="noopener">itu.int/.../page14.html</a>'
    >>> str(source_link("github.com/PyPSA/technology-data outputs/costs_2025.csv"))
    'github.com/PyPSA/technology-data outputs/costs_2025.csv'
    >>> str(source_link("https://a.org/r.pdf (repo x, commit 1ab)", "Report"))
    '<a href="https://a.org/r.pdf" rel="noopener">Report</a> (repo x, commit 1ab)'
    """
    text = (text or "").strip()
    if not text:
        return Markup(escape(title or empty))
    found = _ADDRESS.match(text)
    if not found:
        return Markup(escape(f"{title}: {text}" if title and title != text else text))
    address = found.group(0).rstrip(".,;)")
    rest = text[len(address) :].strip()
    parts = urlsplit(address)
    tail = parts.path.rstrip("/").rsplit("/", 1)[-1]
    name = title or (f"{parts.netloc}/.../{tail}" if tail else parts.netloc)
    link = Markup('<a href="{}" rel="noopener">{}</a>').format(address, name)
    return link + (Markup(" ") + escape(rest) if rest else Markup(""))


def register_filters(app: Flask) -> None:
    app.add_template_filter(source_link, "source_link")
    app.add_template_filter(money, "money")
    app.add_template_filter(number, "number")
    app.add_template_filter(percent, "percent")
