"""Explained scores built from weighted components, each in [0, 1] or unknown.

Both the partner-project fit (:mod:`matching.scoring`) and the twin-city fit
(:mod:`matching.twinning`) are weighted means of components. A component whose data
is missing is *unknown*: it is left out and the weights of the known components are
renormalised, so missing data never counts as a zero score. What was left out shows
in the confidence: the share of the total weight that could be scored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from matching.errors import InvalidWeightsError

__all__ = [
    "Component",
    "ExplainedScore",
    "confidence_percent",
    "resolve_weights",
    "combine",
    "combine_arrays",
]


@dataclass(frozen=True)
class Component:
    """One scored aspect of a match.

    Attributes
    ----------
    name : str
        The component's name (a key of the weights).
    value : float or None
        The component in [0, 1]; None when the data to score it is missing.
    reason : str
        Why it has this value, in words.
    """

    name: str
    value: float | None
    reason: str


@dataclass(frozen=True)
class ExplainedScore:
    """A score in [0, 1] with its confidence and its reasons.

    Attributes
    ----------
    score : float
        Weighted mean of the known components (0.0 when none is known).
    confidence : float
        Share of the total weight carried by known components, in [0, 1].
    components : tuple of Component
        Every component, known or not, in the order of the weights.
    """

    score: float
    confidence: float
    components: tuple[Component, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """The reasons of all components, then a note when confidence is lowered."""
        notes = [c.reason for c in self.components]
        if self.confidence < 1.0:
            notes.append(
                f"confidence {confidence_percent(self.confidence)}%: some data are missing"
            )
        return tuple(notes)


def confidence_percent(confidence: float) -> int:
    """A confidence as a whole percentage that reads 100 only when nothing is missing.

    Plain rounding would show 0.996 as 100 %; a lowered confidence shows at most 99 %
    (and a confidence above zero at least 1 %).

    Examples
    --------
    >>> confidence_percent(1.0), confidence_percent(0.996), confidence_percent(0.9)
    (100, 99, 90)
    >>> confidence_percent(0.001), confidence_percent(0.0)
    (1, 0)
    """
    percent = round(confidence * 100)
    if confidence < 1.0:
        percent = min(percent, 99)
    if confidence > 0.0:
        percent = max(percent, 1)
    return percent


def resolve_weights(
    weights: Mapping[str, float] | None, defaults: Mapping[str, float]
) -> dict[str, float]:
    """Merge user weights over the defaults, validate them and scale them to sum 1.

    Parameters
    ----------
    weights : mapping or None
        Weights for some or all components; those not given keep their default.
    defaults : mapping
        The default weight of every component (defines the component names).

    Returns
    -------
    dict
        One weight per component, each >= 0, summing to 1.

    Raises
    ------
    InvalidWeightsError
        For an unknown component name, a negative or non-finite weight, or all zero.

    Examples
    --------
    >>> resolve_weights({"a": 3.0}, {"a": 1.0, "b": 1.0})
    {'a': 0.75, 'b': 0.25}
    """
    merged = dict(defaults)
    for name, value in (weights or {}).items():
        if name not in defaults:
            raise InvalidWeightsError(f"unknown weight {name!r}; use some of {', '.join(defaults)}")
        value = float(value)
        if not math.isfinite(value) or value < 0:
            raise InvalidWeightsError(f"weight {name!r} is {value}; give a finite number >= 0")
        merged[name] = value
    total = sum(merged.values())
    if total <= 0:
        raise InvalidWeightsError("all weights are zero; give at least one positive weight")
    return {name: value / total for name, value in merged.items()}


def combine_arrays(
    values: Mapping[str, np.ndarray], weights: Mapping[str, float | np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean over the known components, element-wise; NaN marks unknown.

    Parameters
    ----------
    values : mapping of str to ndarray
        One array per component name (all the same shape), NaN where unknown.
    weights : mapping of str to float or ndarray
        Resolved weights (see :func:`resolve_weights`), summing to 1; an array gives
        each element its own weight (0 where the component does not apply).

    Returns
    -------
    score, confidence : ndarray
        The renormalised weighted mean (0 where nothing is known) and the known
        share of the weight: exactly 1 where no weighted component is unknown, and
        below 1 wherever one is.

    Examples
    --------
    >>> s, c = combine_arrays({"a": np.array([1.0, np.nan]), "b": np.array([0.5, 0.5])},
    ...                       {"a": 0.5, "b": 0.5})
    >>> s.tolist(), c.tolist()
    ([0.75, 0.5], [1.0, 0.5])
    """
    first = next(iter(values.values()))
    weighted = np.zeros(np.shape(first))
    known = np.zeros(np.shape(first))
    unknown = np.zeros(np.shape(first))
    for name, weight in weights.items():
        column = np.asarray(values[name], dtype=float)
        is_known = ~np.isnan(column)
        weighted += np.where(is_known, column, 0.0) * weight
        known += np.where(is_known, weight, 0.0)
        unknown += np.where(is_known, 0.0, weight)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(known > 0, weighted / np.where(known > 0, known, 1.0), 0.0)
        share = known / np.where(known + unknown > 0, known + unknown, 1.0)
    # Rounding of the weights must neither show a full confidence below 1 nor a lowered
    # one as 1: the share is 1 exactly when no weight was left out.
    confidence = np.where(unknown > 0, np.minimum(share, np.nextafter(1.0, 0.0)), 1.0)
    return np.clip(score, 0.0, 1.0), confidence


def combine(components: Sequence[Component], weights: Mapping[str, float]) -> ExplainedScore:
    """Combine explained components into one :class:`ExplainedScore`.

    Parameters
    ----------
    components : sequence of Component
        One per weight name.
    weights : mapping
        Resolved weights (see :func:`resolve_weights`).

    Returns
    -------
    ExplainedScore

    Examples
    --------
    >>> parts = [Component("a", 1.0, "good"), Component("b", None, "b unknown")]
    >>> e = combine(parts, {"a": 0.5, "b": 0.5})
    >>> e.score, e.confidence
    (1.0, 0.5)
    >>> e.reasons[-1]
    'confidence 50%: some data are missing'
    """
    values = {c.name: np.array(np.nan if c.value is None else c.value) for c in components}
    score, confidence = combine_arrays(values, weights)
    return ExplainedScore(float(score), float(confidence), tuple(components))
