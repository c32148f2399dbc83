"""A KPI measured by several data points shows each one on the profile."""

from __future__ import annotations

from app.core.extensions import db
from app.models import KpiValue
from tests.app.cities import test_profiles
from tests.app.conftest import PASSWORD

world = test_profiles.world  # the shared fixture


def test_each_data_point_shows_when_there_is_no_headline_value(app, client, login, world):
    with app.app_context():
        for point, value in (("primary", 90.0), ("secondary", 70.5), ("tertiary", 12.0)):
            db.session.add(
                KpiValue(
                    city_id=world["bizerte"],
                    kpi_id=world["untargeted"],
                    year=2019,
                    value=value,
                    data_point=point,
                    unit="%",
                    source="https://www.itu.int/u4ssc/bizerte.pdf",
                )  # fmt: skip
            )
        db.session.commit()
    login("staff@example.org", PASSWORD)
    page = client.get(f"/cities/{world['bizerte']}")
    assert page.status_code == 200
    assert "by data point:" in page.text
    for text in ("primary: 90", "secondary: 70.50", "tertiary: 12"):
        assert text in page.text


def test_a_data_point_shows_the_unit_alone_and_says_why_it_is_not_scored(app, client, login, world):
    """The KPI's unit names its data points ("% (data points primary, ...)"); each point
    shows the bare unit, and the row says why it has no score instead of "no value"."""
    from app.models import Kpi

    with app.app_context():
        db.session.get(Kpi, world["untargeted"]).unit = "% (data points primary, secondary)"
        for point, value in (("primary", 90.0), ("secondary", 70.5)):
            db.session.add(
                KpiValue(
                    city_id=world["bizerte"],
                    kpi_id=world["untargeted"],
                    year=2019,
                    value=value,
                    data_point=point,
                    unit="%",
                    source="https://www.itu.int/u4ssc/bizerte.pdf",
                )  # fmt: skip
            )
        db.session.commit()
    login("staff@example.org", PASSWORD)
    text = client.get(f"/cities/{world['bizerte']}").text
    assert "primary: 90 % (2019)" in text
    assert "90 % (data points" not in text
    assert "only the data points above are recorded" in text
