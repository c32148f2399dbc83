"""Form fields every feature uses: numbers read one way, text with limits.

:class:`NumberField` renders a text input (``inputmode`` asks phones for a numeric
keyboard), so the browser sends exactly what was typed: a number input would drop
"82,5" to "825" in some browsers before the server could see it. The text is read by
:func:`app.core.numbers.read_number` within the field's :class:`NumberSpec`; when it is
refused the form shows the message on the field and keeps the typed text.

:class:`TextField` and :class:`LongTextField` refuse NUL and other control characters
and cap the length, so nothing the database would refuse reaches it.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from functools import lru_cache

from wtforms import Field, SelectChoice, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from app.core.numbers import QUANTITY, NumberError, NumberSpec, read_number

__all__ = [
    "NumberField",
    "WholeNumberField",
    "TextField",
    "LongTextField",
    "Required",
    "clean_text",
    "TextError",
]


class NumberField(Field):
    """A number typed as text; ``data`` is a Decimal (an int when whole) or None.

    ``spec`` gives the range, wholeness and unit; ``low``, ``high``, ``whole`` and
    ``example`` override single parts of it. ``coerce`` (e.g. ``float``) turns the
    Decimal into what the form's caller wants.
    """

    widget = TextInput()

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        spec: NumberSpec = QUANTITY,
        low=None,
        high=None,
        whole=None,
        example=None,
        coerce=None,
        **kwargs,
    ):
        self.spec = NumberSpec(
            spec.low if low is None else low,
            spec.high if high is None else high,
            spec.whole if whole is None else whole,
            spec.unit,
            example or ("20" if whole else spec.example),
        )
        render_kw = {"inputmode": "numeric" if self.spec.whole else "decimal"}
        render_kw |= kwargs.pop("render_kw", None) or {}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.coerce = coerce or (int if self.spec.whole else None)

    @property
    def number(self) -> Decimal | None:
        """The number as a Decimal (None when blank or refused)."""
        return None if self.data is None else Decimal(str(self.data))

    def number_or(self, default=None):
        return default if self.data is None else self.number

    def typed(self) -> str:
        """What was typed (kept as typed when refused)."""
        return self.raw_data[0] if self.raw_data else ""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            number = read_number(valuelist[0], self.spec)
        except NumberError as error:
            self.data = None
            raise ValueError(str(error)) from None
        self.data = number if number is None or self.coerce is None else self.coerce(number)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        if isinstance(self.data, Decimal):
            return format(self.data.normalize(), "f") if self.data == self.data else ""
        return str(self.data)


class Required:
    """Refuse a blank number with the field's own message (what to enter)."""

    def __init__(self, message: str):
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form, field):
        if not (field.raw_data and str(field.raw_data[0]).strip()) and not field.errors:
            raise ValidationError(self.message)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents or extra spaces, for matching names as people type them.

    >>> fold("  Ålesund ") == fold("alesund") and fold("Karmøy") == "karmoy"
    True
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ø", "o"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


class TextError(ValueError):
    """Text that cannot be stored; ``str()`` says why."""


def clean_text(text: str | None, *, max_length: int, multiline: bool = False) -> str:
    """``text`` stripped, or TextError when too long or holding control characters.

    Line breaks and tabs are kept in multi-line text; every other control character
    (NUL included, which PostgreSQL refuses) is refused.

    >>> clean_text("  Karmøy  ", max_length=10)
    'Karmøy'
    >>> clean_text("a\\x00b", max_length=10)
    Traceback (most recent call last):
    ...
    app.core.fields.TextError: Remove the control character (U+0000) at position 2.
    """
    text = (text or "").strip()
    allowed = "\n\r\t" if multiline else ""
    for position, char in enumerate("" if text.isprintable() else text, start=1):
        if unicodedata.category(char) == "Cc" and char not in allowed:
            raise TextError(
                f"Remove the control character (U+{ord(char):04X}) at position {position}."
            )
    if len(text) > max_length:
        raise TextError(
            f"This is {len(text):,} characters long; shorten it to {max_length:,} at most."
        )
    return text


class _CleanText:
    max_length = 200
    multiline = False

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)  # type: ignore[misc]
        try:
            self.data = clean_text(self.data, max_length=self.max_length, multiline=self.multiline)
        except TextError as error:
            raise ValueError(str(error)) from None


class TextField(_CleanText, StringField):
    """One line of text, at most ``max_length`` characters (200 unless given)."""

    def __init__(self, label=None, validators=None, *, max_length: int = 200, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.max_length = max_length
        self.render_kw = {"maxlength": max_length} | (self.render_kw or {})


class LongTextField(_CleanText, TextAreaField):
    """Several lines of text, at most ``max_length`` characters (5,000 unless given)."""

    multiline = True

    def __init__(self, label=None, validators=None, *, max_length: int = 5000, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.max_length = max_length
        self.render_kw = {"maxlength": max_length} | (self.render_kw or {})


class WholeNumberField(NumberField):
    """A :class:`NumberField` for whole numbers; ``data`` is an int."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("whole", True)
        kwargs.setdefault("example", "20")
        super().__init__(label, validators, **kwargs)


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]
