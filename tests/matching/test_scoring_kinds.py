"""Each kind of partner is scored on what it brings: capabilities or financing."""

from __future__ import annotations

import math

import pytest

from matching.components import confidence_percent
from matching.errors import InvalidProfileError, InvalidWeightsError
from matching.scoring import (
    COMPONENT_NAMES,
    DEFAULT_WEIGHTS,
    FINANCE_KINDS,
    FINANCE_WEIGHTS,
    PARTNER_KINDS,
    WEIGHTS_BY_KIND,
    PartnerProfile,
    ProjectProfile,
    kind_weights,
    score_pair,
)
from matching.scoring_batch import score_pairs

PROJECT = ProjectProfile(
    "p1",
    sector="Energy",
    needs={"smart metering", "grid storage"},
    country="KE",
    region="Sub-Saharan Africa",
    capex=30e6,
    currency="EUR",
    risk="medium",
    instruments_sought={"loan"},
    financing_sought=12e6,
)


def bank(**changes):
    base = {
        "id": "b1",
        "kind": "financial institution",
        "sectors": {"Energy"},
        "countries": {"KE"},
        "ticket_min": 5e6,
        "ticket_max": 50e6,
        "currency": "EUR",
        "risk_appetite": "medium",
        "track_record": 5,
        "instruments": {"loan", "guarantee"},
    }
    base.update(changes)
    return PartnerProfile(**base)


def both(project, partner, **kw):
    """The reference fit, after checking the vectorised scorer agrees with it."""
    fit = score_pair(project, partner, **kw)
    batch = score_pairs([project], [partner], **kw)
    assert batch.score[0] == pytest.approx(fit.score, abs=1e-12)
    assert batch.confidence[0] == pytest.approx(fit.confidence, abs=1e-12)
    return fit


def test_weights_per_kind_sum_to_one_and_each_kind_has_a_clear_set():
    for kind in PARTNER_KINDS:
        weights = WEIGHTS_BY_KIND[kind]
        assert math.isclose(sum(weights.values()), 1.0)
        assert len(weights) == 6 and set(weights) <= set(COMPONENT_NAMES)
        finances = kind in FINANCE_KINDS
        assert ("finance" in weights) == finances
        assert ("capabilities" in weights) != finances
    assert WEIGHTS_BY_KIND["technology company"] is DEFAULT_WEIGHTS
    assert WEIGHTS_BY_KIND["local company"] is DEFAULT_WEIGHTS
    assert WEIGHTS_BY_KIND["international investor"] is FINANCE_WEIGHTS


def test_a_financier_without_capabilities_is_scored_on_what_it_brings():
    fit = both(PROJECT, bank())
    assert fit.confidence == 1.0 and fit.score == pytest.approx(1.0)
    assert [c.name for c in fit.components] == list(FINANCE_WEIGHTS)
    assert fit.reasons == (
        "works in Energy (the project's sector)",
        "offers loans and guarantees; the project seeks a loan",
        "works in KE (the project's country)",
        "ticket EUR 5 m to 50 m covers the EUR 12 m sought",
        "medium risk appetite covers the medium risk",
        "5 completed comparable projects (full marks from 5)",
    )


def test_a_financier_claiming_capabilities_is_neither_penalised_nor_rewarded():
    plain = both(PROJECT, bank())
    for caps in ({"accounting"}, {"smart metering", "grid storage"}):
        fit = both(PROJECT, bank(capabilities=caps))
        assert (fit.score, fit.confidence) == (plain.score, plain.confidence)
    investor = both(PROJECT, bank(kind="international investor", capabilities={"x"}))
    assert (investor.score, investor.confidence) == (plain.score, plain.confidence)


def test_companies_keep_capabilities_and_ignore_instruments():
    firm = bank(kind="technology company", capabilities={"smart metering"}, instruments=set())
    fit = both(PROJECT, firm)
    assert [c.name for c in fit.components] == list(DEFAULT_WEIGHTS)
    assert fit.components[1].value == 0.5
    # A company's ticket is the contract it takes on: compared with the capex.
    assert fit.components[3].reason == "ticket EUR 5 m to 50 m covers the capex EUR 30 m"
    with_instruments = both(PROJECT, bank(kind="technology company", instruments={"equity"}))
    assert "finance" not in {c.name for c in with_instruments.components}


@pytest.mark.parametrize(
    ("offered", "sought", "value", "reason"),
    [
        ({"loan"}, {"loan", "equity"}, 0.5, "offers loans; the project seeks a loan and equity "
         "(equity not offered)"),
        ({"equity"}, {"grant", "loan"}, 0.0, "offers equity; the project seeks a loan and a "
         "grant (loans and grants not offered)"),
        ({"green_bond", "mezzanine", "loan"}, {"green_bond"}, 1.0, "offers loans, green bonds "
         "and mezzanine finance; the project seeks a green bond"),
        ({"blended_finance"}, {"blended_finance"}, 1.0, "offers blended finance; the project "
         "seeks blended finance"),
    ],
)  # fmt: skip
def test_instrument_reasons_read_well(offered, sought, value, reason):
    project = ProjectProfile("p", instruments_sought=sought)
    component = both(project, bank(instruments=offered)).components[1]
    assert (component.name, component.value, component.reason) == ("finance", value, reason)


def test_ticket_meets_the_amount_sought_else_the_capex():
    assert both(PROJECT, bank(ticket_min=20e6, ticket_max=None)).components[3].reason == (
        "ticket from EUR 20 m is large for the EUR 12 m sought"
    )
    small = both(PROJECT, bank(ticket_min=None, ticket_max=6e6)).components[3]
    assert small.value == 0.5
    assert small.reason == "ticket up to EUR 6 m covers part of the EUR 12 m sought"
    no_amount = ProjectProfile("p", capex=30e6, currency="EUR")
    assert both(no_amount, bank()).components[3].reason == (
        "ticket EUR 5 m to 50 m covers the capex EUR 30 m"
    )
    nothing = both(ProjectProfile("p"), bank()).components[3]
    assert nothing.value is None
    assert nothing.reason == "project amount sought and capex not given: confidence lowered"


@pytest.mark.parametrize(
    ("project", "partner", "name", "reason"),
    [
        (PROJECT, bank(kind="local company"), "capabilities",
         "partner's capabilities not given: confidence lowered"),
        (ProjectProfile("p", sector="Energy"), bank(kind="local company", capabilities={"a"}),
         "capabilities", "project needs not given: confidence lowered"),
        (PROJECT, bank(instruments=set()), "finance",
         "partner's financing instruments not given: confidence lowered"),
        (ProjectProfile("p", needs={"a"}), bank(), "finance",
         "financing instruments sought not given: confidence lowered"),
    ],
)  # fmt: skip
def test_empty_lists_are_unknown_not_zero(project, partner, name, reason):
    fit = both(project, partner)
    component = fit.components[1]
    assert (component.name, component.value, component.reason) == (name, None, reason)
    assert fit.confidence < 1.0
    assert fit.reasons[-1].startswith(f"confidence {confidence_percent(fit.confidence)}%")


def test_confidence_never_reads_100_when_a_component_is_unknown():
    # A tiny weight on the only unknown component: plain rounding would say 100 %.
    weights = {"track_record": 0.001}
    fit = both(PROJECT, bank(track_record=None), weights=weights)
    assert 0.99 < fit.confidence < 1.0
    assert fit.reasons[-1] == "confidence 99%: some data are missing"
    batch = score_pairs([PROJECT], [bank(track_record=None)], weights=weights)
    assert batch.confidence[0] < 1.0
    # Weights whose sum rounds off still give exactly 1 when everything is known.
    odd = dict.fromkeys(COMPONENT_NAMES, 0.1) | {"sector": 0.7, "ticket": 0.3}
    for partner in (bank(), bank(kind="technology company", capabilities={"grid storage"})):
        assert both(PROJECT, partner, weights=odd).confidence == 1.0


def test_weights_apply_to_the_kinds_that_have_the_component():
    assert kind_weights("international investor", {"capabilities": 5.0}) == pytest.approx(
        FINANCE_WEIGHTS
    )
    only_capabilities = dict.fromkeys(COMPONENT_NAMES, 0.0) | {"capabilities": 1.0}
    firm = bank(kind="technology company", capabilities={"grid storage"})
    assert both(PROJECT, firm, weights=only_capabilities).score == 0.5
    with pytest.raises(InvalidWeightsError, match="all weights are zero for a financial"):
        score_pair(PROJECT, bank(), weights=only_capabilities)
    with pytest.raises(InvalidWeightsError, match="all weights are zero"):
        score_pairs([PROJECT], [firm, bank()], weights=only_capabilities)
    with pytest.raises(InvalidWeightsError, match="finite number"):
        score_pair(PROJECT, firm, weights={"finance": float("nan")})


def test_new_fields_are_validated_and_frozen():
    assert bank(instruments="loan").instruments == frozenset({"loan"})
    assert ProjectProfile("p", instruments_sought=["loan"]).instruments_sought == {"loan"}
    with pytest.raises(InvalidProfileError, match="financing_sought"):
        ProjectProfile("p", financing_sought=-1.0)
    assert bank().is_finance and not bank(kind="local company").is_finance
