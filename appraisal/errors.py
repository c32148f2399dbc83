"""Errors of the appraisal package.

Every error says what is wrong and what to change. They subclass ``ValueError`` so a
caller that only knows Python's built-ins still catches bad input; the web layer maps
:class:`AppraisalError` to a 4xx answer with the message, never a 500.
"""

from __future__ import annotations

__all__ = [
    "AppraisalError",
    "InvalidCashflowError",
    "InvalidRateError",
    "InvalidDatesError",
    "UnknownDayCountError",
    "NoIRRError",
    "MultipleIRRError",
    "InvalidParameterError",
    "PriceBaseError",
    "CurrencyDataError",
    "BundleInputError",
    "CyclicRequirementError",
    "InfeasibleBundleError",
    "PlanInputError",
    "UnbalancedPlanError",
]


class AppraisalError(ValueError):
    """Base class: bad input or a question that has no meaningful answer."""


class InvalidCashflowError(AppraisalError):
    """Cash flows that are empty, not numbers, NaN or infinite."""


class InvalidRateError(AppraisalError):
    """A discount or growth rate at or below -100 %, NaN or infinite."""


class InvalidDatesError(AppraisalError):
    """Dates missing, unordered where order matters, or not as many as the flows."""


class UnknownDayCountError(AppraisalError):
    """A day-count convention that is not supported."""


class NoIRRError(AppraisalError):
    """No real internal rate of return above -100 % exists; the message says why."""


class MultipleIRRError(AppraisalError):
    """Several real IRRs exist, so a single IRR would mislead.

    Attributes
    ----------
    roots : list[float]
        The distinct IRRs within -99 %..1,000 %, ascending.
    below, above : int
        How many more lie below -99 % and above 1,000 % (counted, not listed).
    """

    def __init__(self, message: str, roots: list[float], *, below: int = 0, above: int = 0):
        super().__init__(message)
        self.roots = list(roots)
        self.below = below
        self.above = above


class InvalidParameterError(AppraisalError):
    """A named parameter (CBA set, PPP input, risk distribution...) out of its range."""


class PriceBaseError(AppraisalError):
    """A cost that cannot be brought to the requested price base (year or currency)."""


class CurrencyDataError(PriceBaseError):
    """A currency the platform has no prices or rates for (or an unknown code).

    Attributes
    ----------
    currency : str
        The code as given.
    """

    def __init__(self, currency: str, message: str):
        super().__init__(message)
        self.currency = currency


class BundleInputError(AppraisalError):
    """Bad input to the bundle optimiser: limits, unknown ids, contradictions."""


class CyclicRequirementError(BundleInputError):
    """Candidates whose ``requires`` form a cycle.

    Attributes
    ----------
    cycle : list[str]
        The candidate ids on the cycle, in order.
    """

    def __init__(self, message: str, cycle: list[str]):
        super().__init__(message)
        self.cycle = list(cycle)


class InfeasibleBundleError(AppraisalError):
    """No bundle satisfies the limits and forced choices.

    Attributes
    ----------
    explanation : list[str]
        The smallest set of conflicting limits or forced choices, in plain words.
    """

    def __init__(self, message: str, explanation: list[str]):
        super().__init__(message)
        self.explanation = list(explanation)


class PlanInputError(InvalidParameterError):
    """A financing plan's input out of its range; ``field`` names the input
    (``ifi_loan_rate``, ``residual_shares``...) so a form can show the message on it."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


class UnbalancedPlanError(AppraisalError):
    """A financing plan whose sources do not match its uses in some years.

    Attributes
    ----------
    gaps : dict[int, float]
        Calendar year -> uses less sources: positive is a shortfall, negative a surplus.
    """

    def __init__(self, message: str, gaps: dict[int, float]):
        super().__init__(message)
        self.gaps = dict(gaps)

    @property
    def shortfall(self) -> dict[int, float]:
        return {year: gap for year, gap in self.gaps.items() if gap > 0}
