"""A money figure with its currency and price base, so no amount travels bare."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Money"]


@dataclass(frozen=True)
class Money:
    """An amount in a currency at a price base.

    Attributes
    ----------
    amount : float
    currency : str
    price_base_year : int
    nominal : bool
        False for constant prices of ``price_base_year`` (real terms).

    Examples
    --------
    >>> m = Money(12_345_678.0, "EUR", 2024)
    >>> str(m)
    'EUR 12.3 m'
    >>> m.describe()
    'EUR 12.3 m (constant 2024 prices)'
    >>> str(Money(-950.0, "USD", 2020))
    'USD -950'
    """

    amount: float
    currency: str
    price_base_year: int
    nominal: bool = False

    def __str__(self) -> str:
        if abs(self.amount) >= 1e6:
            return f"{self.currency} {self.amount / 1e6:,.1f} m"
        return f"{self.currency} {self.amount:,.0f}"

    def describe(self) -> str:
        """The amount with its price base in words."""
        basis = "current prices from" if self.nominal else "constant"
        return f"{self} ({basis} {self.price_base_year} prices)"
