"""Development levels: grouping cities by attainment profile (matching.grouping)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.errors import InvalidProfileError
from matching.grouping import group_cities

FEATURES = ("Economy", "Environment", "Society", "energy", "ict")


def _cohort(seed: int = 1, per_level: int = 8) -> dict[str, dict[str, float | None]]:
    """Three clear levels (attainment around 0.2, 0.5 and 0.85) with some gaps in data."""
    rng = np.random.default_rng(seed)
    cohort = {}
    for centre in (0.2, 0.5, 0.85):
        for i in range(per_level):
            row: dict[str, float | None] = {
                f: float(np.clip(centre + rng.normal(0, 0.04), 0, 1)) for f in FEATURES
            }
            if i % 3 == 0:
                row["ict"] = None  # missing, not zero
            cohort[f"c{centre}-{i}"] = row
    return cohort


def test_three_clear_levels_are_found_and_ordered_by_attainment():
    grouping = group_cities(_cohort(), resamples=10)
    assert len(grouping.groups) == 3
    assert [g.typical_attainment for g in grouping.groups] == sorted(
        g.typical_attainment for g in grouping.groups
    )
    low = grouping.group(1)
    assert all(member.startswith("c0.2-") for member in low.members)
    assert all(m.startswith("c0.85-") for m in grouping.group(3).members)
    assert grouping.stability_mean is not None and grouping.stability_mean > 0.9
    assert "silhouette" in grouping.criterion
    assert 3 in grouping.silhouettes and max(grouping.silhouettes.values()) == pytest.approx(
        grouping.silhouettes[3]
    )


def test_missing_values_are_not_zeros():
    # a top city with ict missing stays with the top cities; as zero it would not
    cohort = _cohort()
    cohort["gappy"] = dict.fromkeys(FEATURES, 0.86) | {"ict": None, "energy": None}
    grouping = group_cities(cohort, resamples=0)
    assert grouping.level_of["gappy"] == 3
    assert grouping.coverage["gappy"] == pytest.approx(3 / 5)


def test_each_group_is_explained_in_words_with_nearest_other_level():
    grouping = group_cities(_cohort(), resamples=0)
    top = grouping.group(3)
    text = top.summary(len(grouping.groups))
    assert text.startswith("Level 3 of 3: 8 cities, typical attainment")
    assert top.distinctions and all(d.direction == "above" for d in top.distinctions)
    assert "above the" in text
    for city, level in grouping.level_of.items():
        assert grouping.nearest_other[city] != level
    # the low cities are closest to the middle level, not the top one
    assert grouping.nearest_other["c0.2-1"] == 2


def test_thin_features_and_empty_cities_are_reported_not_guessed():
    cohort = _cohort()
    cohort["c0.5-1"]["rare"] = 0.4
    cohort["blank"] = {"Economy": None}
    grouping = group_cities(cohort, resamples=0)
    assert "rare" in grouping.dropped_features
    assert grouping.unplaced == ("blank",)
    assert "blank" not in grouping.level_of


def test_bad_profiles_say_what_to_do():
    with pytest.raises(InvalidProfileError, match="give a share in"):
        group_cities({"a": {"energy": 1.5}})
    with pytest.raises(InvalidProfileError, match="record KPI values"):
        group_cities({"a": {"energy": None}})
    with pytest.raises(InvalidProfileError, match="no city profiles"):
        group_cities({})


def test_one_distinct_profile_is_one_group():
    grouping = group_cities({k: {"energy": 0.5} for k in "abc"})
    assert len(grouping.groups) == 1 and "one group" in grouping.criterion


profile = st.dictionaries(
    st.sampled_from(FEATURES),
    st.one_of(st.none(), st.floats(0, 1, allow_nan=False).map(lambda x: round(x, 2))),
    min_size=1,
)
cohorts = st.dictionaries(
    st.text("abcdefgh", min_size=1, max_size=4), profile, min_size=3, max_size=12
).filter(lambda c: any(v is not None for row in c.values() for v in row.values()))


@settings(max_examples=40, deadline=None)
@given(cohort=cohorts, copies=st.integers(1, 3))
def test_identical_profiles_share_a_group(cohort, copies):
    first = next(iter(cohort))
    for i in range(copies):
        cohort[f"copy{i}"] = dict(cohort[first])
    grouping = group_cities(cohort, resamples=0, min_coverage=0.0)
    placed = [k for k in [first] + [f"copy{i}" for i in range(copies)] if k in grouping.level_of]
    assert len({grouping.level_of[k] for k in placed}) <= 1


@settings(max_examples=40, deadline=None)
@given(cohort=cohorts, data=st.data())
def test_group_does_not_change_with_another_citys_name_or_order(cohort, data):
    keys = list(cohort)
    renamed = data.draw(st.sampled_from(keys))
    order = data.draw(st.permutations(keys))
    before = group_cities(cohort, resamples=3, min_coverage=0.0)
    moved = {("zz-" + k if k == renamed else k): cohort[k] for k in order}
    after = group_cities(moved, resamples=3, min_coverage=0.0)
    for key in keys:
        if key != renamed and key in before.level_of:
            assert after.level_of[key] == before.level_of[key]
    assert after.stability_mean == before.stability_mean
