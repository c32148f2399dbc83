"""Development levels: cities grouped by their KPI attainment profile (scikit-learn).

A city's profile is its attainment in [0, 1] per feature (a U4SSC dimension or a
sector, as :mod:`appraisal.analysis.kpi_gaps` rolls them up); a feature the city has no
scored KPI in is *missing*, never zero. The method, stated so staff can judge it:

1. Features observed in fewer than ``min_coverage`` of the cities are left out (too
   thin to compare on); a city with none of the kept features is left unplaced.
2. Each feature is standardised on its observed values (mean 0, standard deviation 1).
3. Cities are compared by the NaN-Euclidean distance (scikit-learn
   ``nan_euclidean_distances``): the squared differences over the features *both*
   cities have, scaled up by all features / shared features. Missing values are
   ignored, not imputed. Two cities that share no feature are put one standard
   deviation beyond the largest distance seen. Cities with identical profiles are one
   point of the clustering (so they always share a group).
4. Average-linkage agglomerative clustering of those distances (one tree, cut at each
   number of groups). The number of groups is the one with the highest mean
   silhouette (scikit-learn ``silhouette_score`` on the same distances), from 2 up to
   ``max_groups``; on a tie, the fewer groups.
5. Stability: the grouping is redone on ``resamples`` random subsets of 80 % of the
   cities; the adjusted Rand index of each against the full grouping (on the same
   cities) is reported, mean and worst (1 = identical, about 0 = chance).
6. Groups are numbered by overall attainment (the median over the members of their
   mean attainment over observed features): level 1 is the lowest.

The result does not depend on the cities' names or order: rows are put in a canonical
order by their profile before anything is computed, and the resampling is seeded.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np
from scipy.cluster.hierarchy import cut_tree, linkage
from scipy.spatial.distance import squareform
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.metrics.pairwise import nan_euclidean_distances

from matching.errors import InvalidProfileError

__all__ = [
    "Distinction",
    "DevelopmentGroup",
    "Grouping",
    "group_cities",
    "grouping_from_dict",
    "grouping_to_dict",
]

MIN_COVERAGE = 0.3
MAX_GROUPS = 8
RESAMPLES = 20
RESAMPLE_SHARE = 0.8
DISTINCT_MIN_DIFFERENCE = 0.05  # attainment points below which a feature does not set apart
DISTINCTIONS_SHOWN = 3


@dataclass(frozen=True)
class Distinction:
    """A feature on which a group differs from the other cities."""

    feature: str
    group_attainment: float  # mean over the members that have it
    others_attainment: float
    observed_members: int

    @property
    def direction(self) -> str:
        return "above" if self.group_attainment > self.others_attainment else "below"

    def sentence(self, members: int) -> str:
        return (
            f"{self.feature}: {self.group_attainment * 100:.0f} % attained on average, "
            f"{self.direction} the {self.others_attainment * 100:.0f} % of the other cities "
            f"(observed in {self.observed_members} of {members} members)"
        )


@dataclass(frozen=True)
class DevelopmentGroup:
    """One development level: its members and what sets it apart, in words."""

    level: int  # 1 = lowest overall attainment
    members: tuple[str, ...]
    typical_attainment: float  # median of the members' mean attainment
    attainment: dict[str, float | None]  # feature -> median over members that have it
    distinctions: tuple[Distinction, ...]

    def summary(self, levels: int) -> str:
        head = (
            f"Level {self.level} of {levels}: {len(self.members)} "
            f"{'city' if len(self.members) == 1 else 'cities'}, typical attainment "
            f"{self.typical_attainment * 100:.0f} % (median of the members' mean attainment)."
        )
        if not self.distinctions:
            return head + " No feature sets it apart by 5 points or more."
        parts = "; ".join(d.sentence(len(self.members)) for d in self.distinctions)
        return f"{head} Sets it apart: {parts}."


@dataclass(frozen=True)
class Grouping:
    """Cities grouped into development levels, with the figures that justify it."""

    groups: tuple[DevelopmentGroup, ...]
    level_of: dict[str, int]
    nearest_other: dict[str, int | None]  # city -> the other level it is closest to
    coverage: dict[str, float]  # city -> share of the kept features it has
    features: tuple[str, ...]
    dropped_features: tuple[str, ...]
    unplaced: tuple[str, ...]  # cities with none of the kept features
    silhouettes: dict[int, float]  # number of groups -> mean silhouette
    criterion: str
    stability_mean: float | None
    stability_worst: float | None
    stability_note: str

    def group(self, level: int) -> DevelopmentGroup:
        return self.groups[level - 1]


def _matrix(profiles: Mapping[str, Mapping[str, float | None]]):
    if not profiles:
        raise InvalidProfileError("no city profiles given: record KPI values for some cities")
    features = sorted({f for row in profiles.values() for f in row})
    keys = list(profiles)
    raw = np.full((len(keys), len(features)), np.nan)
    for i, key in enumerate(keys):
        for j, feature in enumerate(features):
            value = profiles[key].get(feature)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            value = float(value)
            if not 0.0 <= value <= 1.0:
                raise InvalidProfileError(
                    f"{key}: attainment of {feature} is {value}; give a share in [0, 1]"
                )
            raw[i, j] = value
    return keys, features, raw


def _canonical_order(keys: list[str], raw: np.ndarray) -> list[int]:
    # Identical profiles are interchangeable, so sorting by the profile (then the key)
    # makes every later step independent of names and input order.
    filled = np.where(np.isnan(raw), -1.0, raw)
    return sorted(range(len(keys)), key=lambda i: (tuple(filled[i]), keys[i]))


def _distances(values: np.ndarray) -> np.ndarray:
    """NaN-Euclidean distances between rows of standardised attainment."""
    mean = np.nanmean(values, axis=0)
    spread = np.nanstd(values, axis=0)
    spread[~(spread > 0)] = 1.0
    standard = (values - mean) / spread
    distances = nan_euclidean_distances(standard)
    finite = distances[np.isfinite(distances)]
    # no shared feature: farther apart than any two cities that share one
    distances[~np.isfinite(distances)] = (finite.max() if finite.size else 0.0) + 1.0
    distances = (distances + distances.T) / 2
    np.fill_diagonal(distances, 0.0)
    return distances


def _cut(distances: np.ndarray, counts: list[int]) -> dict[int, np.ndarray]:
    tree = linkage(squareform(distances, checks=False), method="average")
    cuts = cut_tree(tree, n_clusters=counts)
    return {k: cuts[:, i] for i, k in enumerate(counts)}


def _choose(distances: np.ndarray, distinct: int, max_groups: int):
    n = len(distances)
    top = min(max_groups, distinct, n - 1)
    if top < 2:
        labels = np.zeros(n, dtype=int)
        why = f"one group: only {distinct} distinct profile(s) among {n} cities"
        return labels, {}, why
    counts = list(range(2, top + 1))
    cuts = _cut(distances, counts)
    scores = {}
    for k, labels in cuts.items():
        if len(set(labels)) < 2:
            continue
        scores[k] = float(silhouette_score(distances, labels, metric="precomputed"))
    if not scores:  # every cut left one group (ties in the tree)
        return np.zeros(n, dtype=int), {}, "one group: no cut of the tree separates the cities"
    best = max(scores, key=lambda k: (round(scores[k], 9), -k))
    why = (
        f"{best} groups: the highest mean silhouette ({scores[best]:.2f}) of 2 to {top} "
        "groups on the same distances"
    )
    return cuts[best], scores, why


def _stability(distances: np.ndarray, labels: np.ndarray, k: int, resamples: int, seed: int):
    n = len(distances)
    size = int(round(n * RESAMPLE_SHARE))
    if k < 2 or resamples < 1 or size <= k:
        return None, None, "not measured: too few cities or a single group"
    rng = np.random.default_rng(seed)
    scores = []
    for _ in range(resamples):
        rows = np.sort(rng.choice(n, size=size, replace=False))
        sub = _cut(distances[np.ix_(rows, rows)], [k])[k]
        scores.append(adjusted_rand_score(labels[rows], sub))
    mean, worst = float(np.mean(scores)), float(np.min(scores))
    note = (
        f"adjusted Rand index over {resamples} subsets of {RESAMPLE_SHARE * 100:.0f} % "
        "of the cities: "
        f"mean {mean:.2f}, worst {worst:.2f} (1 = the same groups)"
    )
    return mean, worst, note


def _distinctions(raw: np.ndarray, inside: np.ndarray, features: list[str]):
    found = []
    spread = np.nanstd(raw, axis=0)
    for j, feature in enumerate(features):
        group, others = raw[inside, j], raw[~inside, j]
        group, others = group[~np.isnan(group)], others[~np.isnan(others)]
        if not group.size or not others.size or not spread[j] > 0:
            continue
        difference = float(group.mean() - others.mean())
        if abs(difference) < DISTINCT_MIN_DIFFERENCE:
            continue
        effect = abs(difference) / spread[j]
        found.append(
            (effect, Distinction(feature, float(group.mean()), float(others.mean()), group.size))
        )
    found.sort(key=lambda pair: (-pair[0], pair[1].feature))
    return tuple(d for _, d in found[:DISTINCTIONS_SHOWN])


def group_cities(
    profiles: Mapping[str, Mapping[str, float | None]],
    *,
    max_groups: int = MAX_GROUPS,
    min_coverage: float = MIN_COVERAGE,
    resamples: int = RESAMPLES,
    random_state: int = 0,
) -> Grouping:
    """Group cities (key -> feature -> attainment in [0, 1] or None) into levels.

    Examples
    --------
    >>> g = group_cities({"a": {"energy": 0.9}, "b": {"energy": 0.85},
    ...                   "c": {"energy": 0.2}, "d": {"energy": 0.25}}, resamples=0)
    >>> g.level_of == {"a": 2, "b": 2, "c": 1, "d": 1}
    True
    """
    if max_groups < 1:
        raise InvalidProfileError(f"max_groups is {max_groups}; give 1 or more")
    keys, features, raw = _matrix(profiles)
    covered = (~np.isnan(raw)).mean(axis=0) if len(features) else np.array([])
    keep = (covered > 0) & (covered >= min_coverage)
    kept = [f for f, k in zip(features, keep, strict=True) if k]
    dropped = tuple(f for f, k in zip(features, keep, strict=True) if not k)
    raw = raw[:, keep]
    has_any = (~np.isnan(raw)).any(axis=1) if kept else np.zeros(len(keys), dtype=bool)
    unplaced = tuple(sorted(k for k, ok in zip(keys, has_any, strict=True) if not ok))
    if unplaced == tuple(sorted(keys)):
        raise InvalidProfileError(
            "no city has an attainment on a feature covered by "
            f"{min_coverage * 100:.0f} % of the cities: record KPI values and targets first"
        )
    keys = [k for k, ok in zip(keys, has_any, strict=True) if ok]
    raw = raw[has_any]
    order = _canonical_order(keys, raw)
    keys, raw = [keys[i] for i in order], raw[order]
    # identical profiles are one point of the clustering, so they always share a group
    distinct, inverse = np.unique(np.where(np.isnan(raw), -1.0, raw), axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    point_distances = _distances(np.where(distinct == -1.0, np.nan, distinct))
    point_labels, silhouettes, criterion = _choose(point_distances, len(distinct), max_groups)
    k = len(set(point_labels))
    mean, worst, note = _stability(point_distances, point_labels, k, resamples, random_state)
    labels = point_labels[inverse]
    distances = point_distances[np.ix_(inverse, inverse)]
    overall = np.nanmean(raw, axis=1)
    ranking = sorted(
        set(labels),
        key=lambda g: (np.median(overall[labels == g]), overall[labels == g].mean(), -g),
    )
    level_by_label = {label: level for level, label in enumerate(ranking, start=1)}
    levels = np.array([level_by_label[label] for label in labels])
    groups = []
    for level in range(1, k + 1):
        inside = levels == level
        medians = {
            f: (float(np.nanmedian(raw[inside, j])) if (~np.isnan(raw[inside, j])).any() else None)
            for j, f in enumerate(kept)
        }
        groups.append(
            DevelopmentGroup(
                level=level,
                members=tuple(sorted(np.array(keys)[inside])),
                typical_attainment=float(np.median(overall[inside])),
                attainment=medians,
                distinctions=_distinctions(raw, inside, kept),
            )
        )
    nearest: dict[str, int | None] = {}
    for i, key in enumerate(keys):
        others = [
            (float(distances[i, levels == lv].mean()), lv)
            for lv in range(1, k + 1)
            if lv != levels[i]
        ]
        nearest[key] = min(others)[1] if others else None
    return Grouping(
        groups=tuple(groups),
        level_of={key: int(levels[i]) for i, key in enumerate(keys)},
        nearest_other=nearest,
        coverage={key: float((~np.isnan(raw[i])).mean()) for i, key in enumerate(keys)},
        features=tuple(kept),
        dropped_features=dropped,
        unplaced=unplaced,
        silhouettes=silhouettes,
        criterion=criterion,
        stability_mean=mean,
        stability_worst=worst,
        stability_note=note,
    )


def grouping_to_dict(grouping: Grouping) -> dict:
    """The grouping as JSON-ready data (numbers of groups as string keys), to be kept.

    >>> g = group_cities({"a": {"x": 0.9}, "b": {"x": 0.2}}, resamples=0)
    >>> grouping_from_dict(grouping_to_dict(g)) == g
    True
    """
    data = asdict(grouping)
    data["silhouettes"] = {str(k): v for k, v in grouping.silhouettes.items()}
    return data


def grouping_from_dict(data: Mapping) -> Grouping:
    """The grouping kept by :func:`grouping_to_dict`."""
    try:
        groups = tuple(
            DevelopmentGroup(
                level=int(g["level"]),
                members=tuple(g["members"]),
                typical_attainment=float(g["typical_attainment"]),
                attainment=dict(g["attainment"]),
                distinctions=tuple(Distinction(**d) for d in g["distinctions"]),
            )
            for g in data["groups"]
        )
        return Grouping(
            groups=groups,
            level_of={k: int(v) for k, v in data["level_of"].items()},
            nearest_other=dict(data["nearest_other"]),
            coverage=dict(data["coverage"]),
            features=tuple(data["features"]),
            dropped_features=tuple(data["dropped_features"]),
            unplaced=tuple(data["unplaced"]),
            silhouettes={int(k): float(v) for k, v in data["silhouettes"].items()},
            criterion=data["criterion"],
            stability_mean=data["stability_mean"],
            stability_worst=data["stability_worst"],
            stability_note=data["stability_note"],
        )
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidProfileError(
            f"a kept grouping is incomplete ({error}); run it again"
        ) from None
