"""The trajectory chart's year axis: whole years around the data, even for one point."""

from __future__ import annotations

import re

from app.monitoring.charts import _render


def tick_years(svg: str) -> list[str]:
    return re.findall(r">(\d{4}(?:\.\d+)?)<", str(svg))


def test_one_value_gets_an_axis_of_a_few_whole_years():
    years = tick_years(
        _render("Household Internet Access", "X", "%", ((2020, 97.0),), (), (), None)
    )
    assert "2020" in years and all("." not in y for y in years)
    assert all(2018 <= int(y) <= 2022 for y in years), years


def test_the_axis_spans_values_and_the_target_year():
    svg = _render("T", "X", "%", ((2020, 97.0), (2022, 98.0)), (), (), (100.0, 2030))
    years = [int(y) for y in tick_years(svg)]
    assert min(years) >= 2019 and 2028 <= max(years) <= 2031, years
