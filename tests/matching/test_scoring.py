"""Partner-project fit: components, reasons, confidence, and the vectorised twin."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.errors import InvalidProfileError, InvalidWeightsError
from matching.scoring import (
    COMPONENT_NAMES,
    DEFAULT_WEIGHTS,
    INSTRUMENTS,
    PARTNER_KINDS,
    RISK_LEVELS,
    PartnerProfile,
    ProjectProfile,
    kind_weights,
    score_pair,
)
from matching.scoring_batch import score_pairs

FX = {"EUR": 1.0, "USD": 0.92}

PROJECT = ProjectProfile(
    "p1",
    sector="Energy",
    needs={"smart metering", "grid storage"},
    country="KE",
    region="Sub-Saharan Africa",
    capex=8.5e6,
    currency="EUR",
    risk="medium",
)


def partner(**changes):
    base = {
        "id": "q1",
        "kind": "technology company",
        "sectors": {"Energy"},
        "capabilities": {"smart metering"},
        "countries": {"KE"},
        "ticket_min": 2e6,
        "ticket_max": 20e6,
        "currency": "EUR",
        "risk_appetite": "medium",
        "track_record": 5,
    }
    base.update(changes)
    return PartnerProfile(**base)


def test_full_fit_explained_component_by_component():
    fit = score_pair(PROJECT, partner())
    assert fit.confidence == pytest.approx(1.0)
    assert fit.reasons == (
        "works in Energy (the project's sector)",
        "offers 1 of 2 needed capabilities (smart metering); lacks grid storage",
        "works in KE (the project's country)",
        "ticket EUR 2 m to 20 m covers the capex EUR 8.5 m",
        "medium risk appetite covers the medium risk",
        "5 completed comparable projects (full marks from 5)",
    )
    assert fit.score == pytest.approx(1 - DEFAULT_WEIGHTS["capabilities"] / 2)


def test_missing_data_lowers_confidence_not_score():
    known = score_pair(PROJECT, partner())
    unknown = score_pair(PROJECT, partner(track_record=None))
    assert unknown.confidence == pytest.approx(1 - DEFAULT_WEIGHTS["track_record"])
    # Track record was at full marks; without it the others are renormalised, not zeroed.
    w = DEFAULT_WEIGHTS["track_record"]
    assert unknown.score == pytest.approx((known.score - w * 1.0) / (1 - w))
    assert unknown.score > known.score - w
    assert "no track record given: confidence lowered" in unknown.reasons


def test_region_currency_and_risk_reasons():
    fit = score_pair(
        PROJECT,
        partner(
            countries=set(), regions={"Sub-Saharan Africa"}, currency="USD", risk_appetite="low"
        ),
        fx=FX,
    )
    geography, ticket, risk = fit.components[2], fit.components[3], fit.components[4]
    assert geography.value == 0.75 and "across Sub-Saharan Africa" in geography.reason
    assert ticket.value == 1.0 and "USD" in ticket.reason
    assert risk.value == 0.5 and "falls short" in risk.reason
    no_rate = score_pair(PROJECT, partner(currency="USD"))
    assert no_rate.components[3].value is None
    assert "no exchange rate" in no_rate.components[3].reason


def test_weights_are_validated():
    with pytest.raises(InvalidWeightsError, match="unknown weight"):
        score_pair(PROJECT, partner(), weights={"price": 1.0})
    with pytest.raises(InvalidWeightsError, match="finite number"):
        score_pair(PROJECT, partner(), weights={"sector": float("nan")})
    with pytest.raises(InvalidWeightsError, match="all weights are zero"):
        score_pair(PROJECT, partner(), weights=dict.fromkeys(DEFAULT_WEIGHTS, 0.0))
    only_sector = score_pair(
        PROJECT,
        partner(sectors={"ICT"}),
        weights={name: 1.0 if name == "sector" else 0.0 for name in DEFAULT_WEIGHTS},
    )
    assert only_sector.score == 0.0


def test_profiles_are_validated():
    with pytest.raises(InvalidProfileError, match="kind"):
        partner(kind="bank")
    with pytest.raises(InvalidProfileError, match="ticket_min exceeds"):
        partner(ticket_min=5.0, ticket_max=1.0)
    with pytest.raises(InvalidProfileError, match="risk"):
        ProjectProfile("p", risk="extreme")
    with pytest.raises(InvalidProfileError, match="capex"):
        ProjectProfile("p", capex=-1.0)


WORDS = ["a", "b", "c"]
maybe = st.none() | st.sampled_from(WORDS)
sets = st.frozensets(st.sampled_from(WORDS), max_size=3)
instruments = st.frozensets(st.sampled_from([*INSTRUMENTS[:3], "blended"]), max_size=3)
money = st.none() | st.floats(0, 100, allow_nan=False)
currency = st.none() | st.sampled_from(["EUR", "USD", "GBP"])


@st.composite
def projects(draw, i):
    return ProjectProfile(
        f"p{i}",
        sector=draw(maybe),
        needs=draw(sets),
        country=draw(maybe),
        region=draw(maybe),
        capex=draw(money),
        currency=draw(currency),
        risk=draw(st.none() | st.sampled_from(RISK_LEVELS)),
        instruments_sought=draw(instruments),
        financing_sought=draw(money),
    )


@st.composite
def partners(draw, i):
    low, high = draw(money), draw(money)
    if low is not None and high is not None and low > high:
        low, high = high, low
    return PartnerProfile(
        f"q{i}",
        draw(st.sampled_from(PARTNER_KINDS)),
        sectors=draw(sets),
        capabilities=draw(sets),
        countries=draw(sets),
        regions=draw(sets),
        ticket_min=low,
        ticket_max=high,
        currency=draw(currency),
        risk_appetite=draw(st.none() | st.sampled_from(RISK_LEVELS)),
        track_record=draw(st.none() | st.integers(0, 8)),
        instruments=draw(instruments),
    )


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_vectorised_scores_equal_the_explained_reference(data):
    ps = [data.draw(projects(i)) for i in range(data.draw(st.integers(1, 4)))]
    qs = [data.draw(partners(i)) for i in range(data.draw(st.integers(1, 4)))]
    weights = data.draw(
        st.none()
        | st.fixed_dictionaries({}, optional={name: st.floats(0.1, 3) for name in COMPONENT_NAMES})
    )
    batch = score_pairs(ps, qs, weights=weights, fx=FX)
    for k in range(len(batch)):
        project = ps[batch.project_index[k]]
        partner_ = qs[batch.partner_index[k]]
        fit = score_pair(project, partner_, weights=weights, fx=FX)
        assert batch.score[k] == pytest.approx(fit.score, abs=1e-12)
        assert batch.confidence[k] == pytest.approx(fit.confidence, abs=1e-12)
        assert len(fit.reasons) >= 6 and all(fit.reasons)
        # Full confidence exactly when every component is known, in both scorers.
        unknown = [c for c in fit.components if c.value is None]
        assert [c.name for c in fit.components] == list(kind_weights(partner_.kind))
        assert (fit.confidence == 1.0) == (not unknown) == (batch.confidence[k] == 1.0)
        assert all("confidence lowered" in c.reason for c in unknown)
        assert ("some data are missing" in fit.reasons[-1]) == bool(unknown)
        assert "100%" not in fit.reasons[-1]


def test_vectorised_accepts_pairs_by_id_and_by_position():
    qs = [partner(id="q1"), partner(id="q2", sectors={"ICT"})]
    by_id = score_pairs([PROJECT], qs, [("p1", "q2")])
    by_pos = score_pairs([PROJECT], qs, np.array([[0, 1]]))
    assert by_id.score.tolist() == by_pos.score.tolist()
    assert by_id.to_dict() == {("p1", "q2"): pytest.approx(score_pair(PROJECT, qs[1]).score)}
